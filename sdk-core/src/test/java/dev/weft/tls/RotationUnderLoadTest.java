package dev.weft.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Certificates on both ends rotate every second while handshakes run: none may fail. */
class RotationUnderLoadTest {
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final int ROTATIONS = 5;
  private static final int MAX_CONNECTIONS = 4000;
  private static final Duration MAX_TIME = Duration.ofSeconds(30);

  @Test
  void handshakesNeverFailWhileBothSidesRotate() throws Exception {
    LocalCertificateAuthority ca =
        LocalCertificateAuthority.inMemory(TrustDomain.parse("cluster.local"));
    try (WorkloadCertificates web = shortLived(ca, WEB);
         WorkloadCertificates sleep = shortLived(ca, SLEEP);
         PeerIdServer server =
             new PeerIdServer(MeshTls.serverContext(web, PeerAuthorizer.anyPeer()))) {
      SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB)));
      Set<BigInteger> serverSerials = ConcurrentHashMap.newKeySet();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicInteger connections = new AtomicInteger();
      Instant deadline = Instant.now().plus(MAX_TIME);
      ExecutorService clients = Executors.newFixedThreadPool(2);
      Runnable loop = () -> {
        while (connections.incrementAndGet() <= MAX_CONNECTIONS
            && Instant.now().isBefore(deadline)
            && (web.current().generation() <= ROTATIONS
                || sleep.current().generation() <= ROTATIONS)) {
          try {
            serverSerials.add(callOnce(client, server.port()));
          } catch (Exception e) {
            failures.add(PeerIdServer.messages(e));
          }
        }
      };
      List<Future<?>> running = List.of(clients.submit(loop), clients.submit(loop));
      for (Future<?> future : running) {
        future.get();
      }
      clients.shutdown();

      assertThat(failures).as("client failures").isEmpty();
      assertThat(server.failures).as("server failures").isEmpty();
      assertThat(web.current().generation()).isGreaterThan(ROTATIONS);
      assertThat(sleep.current().generation()).isGreaterThan(ROTATIONS);
      assertThat(serverSerials).hasSizeGreaterThanOrEqualTo(ROTATIONS);
      assertThat(server.peers).hasSizeGreaterThan(ROTATIONS * 10);
    }
  }

  private static WorkloadCertificates shortLived(LocalCertificateAuthority ca, SpiffeId id)
      throws Exception {
    return WorkloadCertificates.newBuilder(ca.sourceFor(id, KeyAlgorithm.ECDSA_P256, TTL))
        .jitterFraction(0.1)
        .build()
        .start();
  }

  /** One full handshake and request; returns the serial of the certificate the server showed. */
  private static BigInteger callOnce(SSLContext client, int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String status = in.readLine();
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      String body = in.readLine();
      if (!"HTTP/1.1 200 OK".equals(status) || !SLEEP.toString().equals(body)) {
        throw new AssertionError("unexpected answer: " + status + " / " + body);
      }
      BigInteger serial =
          ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
      // Never resume: every connection must do a full handshake with the current certificates.
      socket.getSession().invalidate();
      return serial;
    }
  }
}
