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
 * PeerAuthentication whose mode a test sets and flips (and, if it wants, a DestinationRule
 * whose client TLS mode it sets), the Micronaut properties that make an application that
 * workload or the {@code sleep} client workload in {@code foo}, and such a client on its own.
 * In local mode a workload knows no other's address, so a client finds httpbin's server by a
 * WorkloadEntry, once a test says where it listens.
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
  private static final String DESTINATION_RULE = """
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: bar}
      spec:
        host: httpbin.bar.svc.cluster.local
        trafficPolicy: {tls: {mode: %s}}
      """;
  private static final String WORKLOAD_ENTRY = """
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: httpbin-1, namespace: bar}
      spec:
        address: 127.0.0.1
        labels: {app: httpbin, security.istio.io/tlsMode: istio}
        serviceAccount: httpbin
        ports: {http: %d}
      """;

  private final Path folder;
  private String endpoints = "";

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

  /**
   * The properties that make the application sleep.foo, a client whose own server (which a
   * {@code @MicronautTest} starts) is container port 8080.
   */
  Map<String, String> sleepProperties() {
    return Map.of("weft.namespace", "foo", "weft.service-account", "sleep",
        "weft.container-port", "8080", "weft.config-dir", folder.toString(),
        "weft.startup-timeout", "10s",
        "micronaut.server.port", "-1");
  }

  /** Makes httpbin's server, listening on 127.0.0.1:{@code port}, the Service's endpoint from the next write. */
  MeshFolder httpbinListensOn(int port) {
    endpoints = WORKLOAD_ENTRY.formatted(port);
    return this;
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

  /** Like {@link #mode}, with a DestinationRule for httpbin whose {@code tls.mode} is {@code tls}. */
  MeshFolder mode(MtlsMode mode, String tls) {
    return write(POLICY.formatted(mode) + DESTINATION_RULE.formatted(tls));
  }

  /** Writes the policy atomically, as a deployment tool would: a new file renamed into place. */
  private MeshFolder write(String yaml) {
    try {
      Path temp = folder.resolve(".mesh.yaml.tmp");
      Files.writeString(temp, yaml + endpoints);
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
