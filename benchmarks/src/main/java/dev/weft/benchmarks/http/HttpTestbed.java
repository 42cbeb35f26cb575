package dev.weft.benchmarks.http;

import static dev.weft.testing.MeshYaml.peerAuthentication;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;

import dev.weft.benchmarks.LoopbackPorts;
import dev.weft.cert.CertificateSnapshot;
import dev.weft.http.netty.WeftNetty;
import dev.weft.http.okhttp.WeftOkHttp;
import dev.weft.mesh.Mesh;
import dev.weft.testing.MeshYaml;
import dev.weft.tls.MeshTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Every server and client the HTTP benchmark compares, in one process on loopback: plain Netty
 * and OkHttp in plaintext, TLS and mTLS with hand-configured certificates (the mesh's own, so
 * the keys match), and Weft on both under STRICT and PERMISSIVE, from a local mesh folder.
 */
final class HttpTestbed implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final char[] NO_PASSWORD = new char[0];

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<HttpMode, Integer> ports = new EnumMap<>(HttpMode.class);
  private final Map<HttpMode, OkHttpClient> clients = new EnumMap<>(HttpMode.class);
  private final Path folder;
  private final int strictPort;
  private final int permissivePort;
  private final Mesh strict;
  private final Mesh permissive;

  HttpTestbed(int concurrency) throws IOException, InterruptedException {
    folder = Files.createTempDirectory("weft-bench");
    strictPort = LoopbackPorts.free();
    permissivePort = LoopbackPorts.free();
    writeMesh("PERMISSIVE");
    strict = start(Mesh.builder().namespace("bar").serviceAccount("strict")
        .labels(Map.of("app", "strict")).servePort(80));
    permissive = start(Mesh.builder().namespace("bar").serviceAccount("permissive")
        .labels(Map.of("app", "permissive")).servePort(80));
    Mesh sleep = start(Mesh.builder().namespace("foo").serviceAccount("sleep"));
    CertificateSnapshot server = strict.certificates().current();
    CertificateSnapshot client = sleep.certificates().current();
    List<X509Certificate> roots = server.trustBundles().allRoots();
    try {
      serve(HttpMode.PLAINTEXT, 0, plain(null));
      serve(HttpMode.TLS, 0, plain(sameCiphers(SslContextBuilder.forServer(
          server.privateKey(), server.chain().toArray(X509Certificate[]::new))).build()));
      serve(HttpMode.MTLS, 0, plain(sameCiphers(SslContextBuilder.forServer(
          server.privateKey(), server.chain().toArray(X509Certificate[]::new)))
          .trustManager(roots).clientAuth(ClientAuth.REQUIRE).build()));
      serve(HttpMode.WEFT_STRICT, strictPort,
          WeftNetty.serverInitializer(strict, 80, application()));
      serve(HttpMode.WEFT_PERMISSIVE_PLAINTEXT, permissivePort,
          WeftNetty.serverInitializer(permissive, 80, application()));
      ports.put(HttpMode.WEFT_PERMISSIVE_MTLS, permissivePort);

      OkHttpClient base = new OkHttpClient.Builder()
          .socketFactory(new NoDelaySockets())
          .dispatcher(dispatcher(concurrency))
          .connectionPool(new ConnectionPool(concurrency * 2, 5, TimeUnit.MINUTES))
          .build();
      clients.put(HttpMode.PLAINTEXT, base);
      clients.put(HttpMode.WEFT_PERMISSIVE_PLAINTEXT, base.newBuilder().build());
      clients.put(HttpMode.TLS, tlsClient(base, roots, null));
      clients.put(HttpMode.MTLS, tlsClient(base, roots, client));
      OkHttpClient weft = WeftOkHttp.newBuilder(sleep).dispatcher(dispatcher(concurrency))
          .connectionPool(new ConnectionPool(concurrency * 2, 5, TimeUnit.MINUTES)).build();
      clients.put(HttpMode.WEFT_STRICT, weft);
      clients.put(HttpMode.WEFT_PERMISSIVE_MTLS, weft);
      sleep.awaitOutboundRoute("strict.bar", 8000, WAIT);
      sleep.awaitOutboundRoute("permissive.bar", 8000, WAIT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the hand-configured TLS: " + e, e);
    }
  }

  /** The URL {@code mode}'s client calls for {@code path}. */
  String url(HttpMode mode, String path) {
    return switch (mode) {
      case WEFT_STRICT -> "http://strict.bar:8000" + path;
      case WEFT_PERMISSIVE_MTLS -> "http://permissive.bar:8000" + path;
      case TLS, MTLS -> "https://localhost:" + ports.get(mode) + path;
      default -> "http://127.0.0.1:" + ports.get(mode) + path;
    };
  }

  OkHttpClient client(HttpMode mode) {
    return clients.get(mode);
  }

  private Mesh start(Mesh.Builder builder) throws IOException {
    Mesh mesh = builder.localConfig(folder).startupTimeout(WAIT).build().start();
    closeables.add(mesh);
    return mesh;
  }

  private void serve(HttpMode mode, int port, ChannelHandler childHandler)
      throws InterruptedException {
    Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(childHandler).bind(new InetSocketAddress("127.0.0.1", port)).sync()
        .channel();
    closeables.add(() -> channel.close().syncUninterruptibly());
    ports.put(mode, ((InetSocketAddress) channel.localAddress()).getPort());
  }

  /** The provider (Netty's default), protocols and ciphers Weft's own server context uses. */
  private static SslContextBuilder sameCiphers(SslContextBuilder builder) {
    return builder.protocols(MeshTls.PROTOCOLS)
        .ciphers(MeshTls.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
  }

  private static ChannelInitializer<Channel> plain(SslContext tls) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        if (tls != null) {
          channel.pipeline().addLast(tls.newHandler(channel.alloc()));
        }
        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
            new BytesHandler());
      }
    };
  }

  private static ChannelInitializer<Channel> application() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new HttpObjectAggregator(1 << 16), new BytesHandler());
      }
    };
  }

  private static Dispatcher dispatcher(int concurrency) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(concurrency * 2);
    dispatcher.setMaxRequestsPerHost(concurrency * 2);
    return dispatcher;
  }

  /** OkHttp with the JDK's TLS, trusting {@code roots}, presenting {@code identity} if given. */
  private static OkHttpClient tlsClient(OkHttpClient base, List<X509Certificate> roots,
      CertificateSnapshot identity) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < roots.size(); i++) {
      trust.setCertificateEntry("root-" + i, roots.get(i));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    X509TrustManager trustManager = (X509TrustManager) trustManagers.getTrustManagers()[0];
    KeyManagerFactory keyManagers = null;
    if (identity != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", identity.privateKey(), NO_PASSWORD,
          identity.chain().toArray(X509Certificate[]::new));
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, NO_PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
        new javax.net.ssl.TrustManager[] {trustManager}, null);
    // The certificates are SPIFFE SVIDs, with a URI and no DNS name: trust the root alone.
    return base.newBuilder().sslSocketFactory(context.getSocketFactory(), trustManager)
        .hostnameVerifier((host, session) -> true).build();
  }

  /** Rotates the certificates of both Weft servers now. */
  void rotateServerCertificates() {
    strict.certificates().refreshNow();
    permissive.certificates().refreshNow();
  }

  /** Sets the mode of the PeerAuthentication of the server that is otherwise PERMISSIVE. */
  void flipPermissiveServer(String mode) {
    writeMesh(mode);
  }

  private void writeMesh(String permissiveServerMode) {
    MeshYaml.write(folder,
        service("strict", "bar"),
        workloadEntry("strict-1", "bar", "strict", "strict", strictPort, true),
        peerAuthentication("bar", "strict", "STRICT"),
        service("permissive", "bar"),
        workloadEntry("permissive-1", "bar", "permissive", "permissive", permissivePort, true),
        peerAuthentication("bar", "permissive", permissiveServerMode));
  }


  @Override
  public void close() {
    clients.values().forEach(client -> {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    });
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // Closing the rest matters more.
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
