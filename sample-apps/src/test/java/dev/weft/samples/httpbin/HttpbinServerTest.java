package dev.weft.samples.httpbin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.tls.MeshTls;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The httpbin sample, legacy and in the mesh, called over real sockets. */
class HttpbinServerTest {
  private static final SpiffeId HTTPBIN = SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final String STRICT_HTTPBIN = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {matchLabels: {app: httpbin}}
        mtls: {mode: STRICT}
      """;

  @TempDir Path folder;
  private final OkHttpClient plaintext = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false).callTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void stopClient() {
    plaintext.dispatcher().executorService().shutdown();
    plaintext.connectionPool().evictAll();
  }

  @Test
  void legacyAnswersIpHeadersAndStatusAndPassesAnyXfccThrough() throws Exception {
    try (HttpbinServer httpbin = HttpbinServer.legacy(ANY_LOOPBACK_PORT)) {
      String base = "http://127.0.0.1:" + httpbin.port();

      assertThat(get(plaintext, base + "/ip")).isEqualTo(
          new Answer(200, "{\n  \"origin\": \"127.0.0.1\"\n}\n"));
      assertThat(get(plaintext, base + "/headers", "X-Forwarded-Client-Cert", "URI=" + SLEEP))
          .satisfies(answer -> assertThat(answer.body())
              .contains("\"X-Forwarded-Client-Cert\": \"URI=" + SLEEP + "\"")
              .contains("\"Host\": \"127.0.0.1:" + httpbin.port() + "\""));
      assertThat(get(plaintext, base + "/status/418").status()).isEqualTo(418);
    }
  }

  @Test
  void inTheMeshItAnswersOnlyMtlsAndSeesTheCallerInXfcc() throws Exception {
    Files.writeString(folder.resolve("mesh.yaml"), STRICT_HTTPBIN);
    try (Mesh httpbinMesh = Mesh.builder().namespace("bar").serviceAccount("httpbin")
             .labels(Map.of("app", "httpbin")).servePort(80).localConfig(folder).build().start();
         Mesh sleep = Mesh.builder().namespace("foo").serviceAccount("sleep")
             .localConfig(folder).build().start();
         HttpbinServer httpbin = HttpbinServer.withWeft(httpbinMesh, 80, ANY_LOOPBACK_PORT)) {
      OkHttpClient mtls = mtlsClient(sleep);
      String base = "https://127.0.0.1:" + httpbin.port();

      assertThat(get(mtls, base + "/ip")).isEqualTo(
          new Answer(200, "{\n  \"origin\": \"127.0.0.1\"\n}\n"));
      assertThat(get(mtls, base + "/headers", "X-Forwarded-Client-Cert", "URI=spoofed").body())
          .contains("\"X-Forwarded-Client-Cert\": \"URI=spoofed,By=" + HTTPBIN
              + ";Hash=" + leafHash(sleep) + ";Subject=\\\"\\\";URI=" + SLEEP + "\"");
      assertThat(get(mtls, base + "/status/418").status()).isEqualTo(418);
      assertThatThrownBy(() -> get(plaintext, "http://127.0.0.1:" + httpbin.port() + "/ip"))
          .isInstanceOf(IOException.class);
      mtls.dispatcher().executorService().shutdown();
      mtls.connectionPool().evictAll();
    }
  }

  private record Answer(int status, String body) {}

  private static Answer get(OkHttpClient client, String url, String... header)
      throws IOException {
    Request.Builder request = new Request.Builder().url(url);
    for (int i = 0; i < header.length; i += 2) {
      request.header(header[i], header[i + 1]);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      return new Answer(response.code(), response.body().string());
    }
  }

  private static OkHttpClient mtlsClient(Mesh sleep) {
    PeerAuthorizer onlyHttpbin = PeerAuthorizer.anyOf(Set.of(HTTPBIN));
    return new OkHttpClient.Builder()
        .sslSocketFactory(MeshTls.clientContext(sleep.certificates(), onlyHttpbin)
            .getSocketFactory(), MeshTrustManager.create(sleep.certificates(), onlyHttpbin))
        // The trust manager verified the server's SPIFFE ID; SVIDs name no host to check.
        .hostnameVerifier((host, session) -> true)
        .retryOnConnectionFailure(false)
        .callTimeout(Duration.ofSeconds(10)).build();
  }

  private static String leafHash(Mesh mesh) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(mesh.certificates().current().leaf().getEncoded()));
  }
}
