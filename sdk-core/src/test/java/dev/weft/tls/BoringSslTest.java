package dev.weft.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same key and trust managers under Netty's BoringSSL provider, against JDK peers. */
class BoringSslTest {
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");

  private final LocalCertificateAuthority ca =
      LocalCertificateAuthority.inMemory(TrustDomain.parse("cluster.local"));
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private WorkloadCertificates web;
  private WorkloadCertificates sleep;

  @BeforeAll
  static void boringSslLoads() {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative BoringSSL: %s",
        OpenSsl.unavailabilityCause()).isTrue();
  }

  @BeforeEach
  void start() throws Exception {
    web = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();
    sleep = WorkloadCertificates.newBuilder(ca.sourceFor(SLEEP)).build().start();
  }

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    web.close();
    sleep.close();
  }

  @Test
  void boringSslServerSeesTheJdkClientsIdentityAndRotatesWithoutRestart() throws Exception {
    SslContext serverContext = SslContextBuilder
        .forServer(MeshKeyManager.create(web))
        .trustManager(MeshTrustManager.create(web, PeerAuthorizer.anyPeer()))
        .clientAuth(ClientAuth.REQUIRE)
        .sslProvider(SslProvider.OPENSSL)
        .protocols(MeshTls.PROTOCOLS)
        .ciphers(MeshTls.CIPHER_SUITES)
        .build();
    Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new AnswerWithPeerId());
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    BigInteger firstSerial;
    try (SSLSocket socket = connect(newClient(), port)) {
      assertThat(readLine(socket)).isEqualTo(SLEEP.toString());
      firstSerial = serverLeaf(socket).getSerialNumber();
    }
    web.refreshNow();
    await().atMost(Duration.ofSeconds(5)).until(() -> web.current().generation() == 2);
    // A new client, so the handshake is a full one rather than a resumption of the first.
    try (SSLSocket socket = connect(newClient(), port)) {
      assertThat(readLine(socket)).isEqualTo(SLEEP.toString());
      assertThat(serverLeaf(socket).getSerialNumber())
          .isNotEqualTo(firstSerial)
          .isEqualTo(web.current().leaf().getSerialNumber());
    } finally {
      server.close().sync();
    }
  }

  @Test
  void boringSslClientVerifiesTheJdkServerBySpiffeId() throws Exception {
    SslContext clientContext = SslContextBuilder.forClient()
        .keyManager(MeshKeyManager.create(sleep))
        .trustManager(MeshTrustManager.create(sleep, PeerAuthorizer.anyOf(Set.of(WEB))))
        .sslProvider(SslProvider.OPENSSL)
        .protocols(MeshTls.PROTOCOLS)
        .ciphers(MeshTls.CIPHER_SUITES)
        .endpointIdentificationAlgorithm(null)
        .build();
    try (PeerIdServer server =
             new PeerIdServer(MeshTls.serverContext(web, PeerAuthorizer.anyPeer()))) {
      CompletableFuture<PeerIdentity> serverIdentity = new CompletableFuture<>();
      Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              SslHandler ssl = clientContext.newHandler(ch.alloc());
              ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                  serverIdentity.complete(PeerIdentity.of(ssl.engine().getSession()));
                } else {
                  serverIdentity.completeExceptionally(f.cause());
                }
              });
              ch.pipeline().addLast(ssl);
            }
          })
          .connect(InetAddress.getLoopbackAddress(), server.port()).sync().channel();
      try {
        assertThat(serverIdentity.get(10, TimeUnit.SECONDS).spiffeId()).contains(WEB);
        channel.writeAndFlush(Unpooled.copiedBuffer("GET / HTTP/1.0\r\n\r\n",
            StandardCharsets.US_ASCII)).sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.peers.isEmpty());
        assertThat(server.peers.get(0).spiffeId()).contains(SLEEP);
      } finally {
        channel.close().sync();
      }
    }
  }

  private javax.net.ssl.SSLContext newClient() {
    return MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB)));
  }

  /** Writes the peer's SPIFFE ID once the handshake is done, then closes. */
  private static final class AnswerWithPeerId extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
        PeerIdentity peer = PeerIdentity.of(
            ctx.pipeline().get(SslHandler.class).engine().getSession());
        ctx.writeAndFlush(Unpooled.copiedBuffer(peer + "\n", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
      }
      ctx.fireUserEventTriggered(event);
    }
  }

  private static SSLSocket connect(javax.net.ssl.SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String readLine(SSLSocket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.US_ASCII)).readLine();
  }

  private static X509Certificate serverLeaf(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }
}
