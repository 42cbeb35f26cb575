package dev.weft.micronaut;

import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.tls.MeshTls;
import dev.weft.tls.PeerAuthorizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * A local mesh folder with {@code httpbin} in {@code bar} (container port 80) under a
 * PeerAuthentication whose mode a test sets and flips, the Micronaut properties that make the
 * application that workload, and a {@code sleep} client workload in {@code foo}.
 */
final class MeshFolder {
  static final int PORT = 80;
  static final SpiffeId HTTPBIN = SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");
  static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  static final Duration WAIT = Duration.ofSeconds(10);

  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      """;
  private static final String POLICY = SERVICE + """
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {matchLabels: {app: httpbin}}
        mtls: {mode: %s}
      """;

  private final Path folder;

  private MeshFolder(Path folder) {
    this.folder = folder;
  }

  static MeshFolder create(MtlsMode mode) {
    try {
      return new MeshFolder(Files.createTempDirectory("weft-micronaut")).mode(mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The properties that make the application httpbin.bar, serving container port 80. */
  Map<String, String> httpbinProperties() {
    return httpbinProperties("none");
  }

  /**
   * Like {@link #httpbinProperties()}, with the test beans of {@code app} ({@code test.app})
   * enabled.
   */
  Map<String, String> httpbinProperties(String app) {
    return Map.of("test.app", app, "weft.namespace", "bar", "weft.service-account", "httpbin",
        "weft.labels.app", "httpbin", "weft.container-port", Integer.toString(PORT),
        "weft.config-dir", folder.toString(), "weft.startup-timeout", "10s",
        "micronaut.server.port", "-1");
  }

  /** Sets the workload-level PeerAuthentication's mode. */
  MeshFolder mode(MtlsMode mode) {
    return write(POLICY.formatted(mode));
  }

  /** Makes {@code mode} the namespace-level PeerAuthentication of bar; none selects httpbin. */
  MeshFolder namespaceMode(MtlsMode mode) {
    return write(SERVICE + """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: %s}}
        """.formatted(mode));
  }

  /** Writes the policy atomically, as a deployment tool would: a new file renamed into place. */
  private MeshFolder write(String yaml) {
    try {
      Path temp = folder.resolve(".mesh.yaml.tmp");
      Files.writeString(temp, yaml);
      Files.move(temp, folder.resolve("mesh.yaml"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A started client workload, sleep.foo. */
  Mesh startSleep() throws IOException {
    return Mesh.builder().namespace("foo").serviceAccount("sleep")
        .localConfig(folder).startupTimeout(WAIT).build().start();
  }

  /** A JDK HTTP client presenting {@code client}'s certificate and expecting httpbin's. */
  static HttpClient mtlsClient(Mesh client) {
    return HttpClient.newBuilder().connectTimeout(WAIT)
        .sslContext(MeshTls.clientContext(client.certificates(),
            PeerAuthorizer.anyOf(java.util.List.of(HTTPBIN))))
        .build();
  }

  static HttpResponse<String> fetch(HttpClient client, String url)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
