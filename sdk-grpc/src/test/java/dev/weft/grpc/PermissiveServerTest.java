package dev.weft.grpc;

import static dev.weft.grpc.GrpcTestMesh.identity;
import static dev.weft.grpc.GrpcTestMesh.peerAuthentication;
import static dev.weft.grpc.GrpcTestMesh.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.mesh.Mesh;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC server behind {@link WeftGrpc#serverCredentials}, called by plain grpc-java clients:
 * plaintext ones and ones with mesh certificates, on the same port.
 */
class PermissiveServerTest {
  private static final String CLIENT = "spiffe://cluster.local/ns/foo/sa/sleep";

  @TempDir
  Path folder;
  private GrpcTestMesh mesh;
  private Mesh sleep;

  @BeforeEach
  void startMesh() throws Exception {
    mesh = new GrpcTestMesh(folder);
  }

  @AfterEach
  void stop() throws Exception {
    mesh.close();
  }

  private Server greeterUnder(String mode) throws Exception {
    mesh.write(service("greeter", "bar", 80), peerAuthentication("bar", "greeter", mode));
    Server server = mesh.weftGreeter(mesh.workload("bar", "greeter"));
    sleep = mesh.workload("foo", "sleep");
    return server;
  }

  @Test
  void permissiveServesPlaintextAndMtlsOnOnePortAtOnce() throws Exception {
    Server server = greeterUnder("PERMISSIVE");
    ManagedChannel plaintext = mesh.plaintext(server);
    ManagedChannel mtls = mesh.mtls(server, sleep);
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        List<Future<String>> answers = callers.invokeAll(List.<Callable<String>>of(
            () -> identity(plaintext), () -> identity(mtls)));
        assertThat(answers.get(0).get()).isEqualTo("plaintext");
        assertThat(answers.get(1).get()).isEqualTo(CLIENT);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void strictRefusesPlaintextAndServesMtls() throws Exception {
    Server server = greeterUnder("STRICT");
    assertThat(identity(mesh.mtls(server, sleep))).isEqualTo(CLIENT);
    assertThatThrownBy(() -> identity(mesh.plaintext(server)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void disableRefusesMtlsAndServesPlaintext() throws Exception {
    Server server = greeterUnder("DISABLE");
    assertThat(identity(mesh.plaintext(server))).isEqualTo("plaintext");
    assertThatThrownBy(() -> identity(mesh.mtls(server, sleep)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void flippingToStrictClosesOpenPlaintextConnectionsWithoutRestartingTheServer()
      throws Exception {
    Server server = greeterUnder("PERMISSIVE");
    ManagedChannel plaintext = mesh.plaintext(server);
    ManagedChannel mtls = mesh.mtls(server, sleep);
    assertThat(identity(plaintext)).isEqualTo("plaintext");
    assertThat(identity(mtls)).isEqualTo(CLIENT);

    mesh.write(service("greeter", "bar", 80), peerAuthentication("bar", "greeter", "STRICT"));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        plaintext.getState(false) != ConnectivityState.READY);
    assertThatThrownBy(() -> identity(plaintext)).isInstanceOf(StatusRuntimeException.class);
    assertThat(identity(mtls)).isEqualTo(CLIENT);
  }

  @Test
  void aRotatedCertificateIsPresentedWithoutRestartingTheServer() throws Exception {
    mesh.write(service("greeter", "bar", 80), peerAuthentication("bar", "greeter", "STRICT"));
    Mesh greeter = mesh.workload("bar", "greeter");
    Server server = mesh.weftGreeter(greeter);
    sleep = mesh.workload("foo", "sleep");
    X509Certificate first = greeter.certificates().current().leaf();
    assertThat(presentedBy(server)).isEqualTo(first);

    greeter.certificates().refreshNow();
    await().until(() -> !greeter.certificates().current().leaf().equals(first));

    assertThat(presentedBy(server)).isEqualTo(greeter.certificates().current().leaf());
    assertThat(identity(mesh.mtls(server, sleep))).isEqualTo(CLIENT);
  }

  /** The certificate {@code server} presents to openssl, offering sleep's certificate and h2. */
  private X509Certificate presentedBy(Server server) throws Exception {
    CertificateSnapshot client = sleep.certificates().current();
    Path key = folder.resolve("key.pem");
    Path chain = folder.resolve("chain.pem");
    SecureFiles.writeSecret(key, Pem.write(client.privateKey()));
    SecureFiles.writePublic(chain, Pem.write(client.chain()));
    Process openssl = new ProcessBuilder("openssl", "s_client", "-connect",
        "127.0.0.1:" + server.getPort(), "-cert", chain.toString(), "-key", key.toString(),
        "-alpn", "h2").redirectErrorStream(true).start();
    openssl.getOutputStream().close();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("ALPN protocol: h2");
    String pem = output.substring(output.indexOf("-----BEGIN CERTIFICATE-----"),
        output.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length());
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
