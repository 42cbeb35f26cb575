package dev.weft.micronaut;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.namespacePeerAuthentication;
import static dev.weft.testing.MeshYaml.peerAuthentication;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;

import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.testing.MeshYaml;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private final Path folder;
  /** httpbin's endpoint, written with every configuration once its server listens. */
  private Optional<String> endpoint = Optional.empty();

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
    endpoint = Optional.of(workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", port, true));
    return this;
  }

  /** Sets the workload-level PeerAuthentication's mode. */
  MeshFolder mode(MtlsMode mode) {
    return write(peerAuthentication("bar", "httpbin", mode));
  }

  /** Makes {@code mode} the namespace-level PeerAuthentication of bar; none selects httpbin. */
  MeshFolder namespaceMode(MtlsMode mode) {
    return write(namespacePeerAuthentication("bar", mode));
  }

  /** Like {@link #mode}, with a DestinationRule for httpbin whose {@code tls.mode} is {@code tls}. */
  MeshFolder mode(MtlsMode mode, String tls) {
    return write(peerAuthentication("bar", "httpbin", mode), destinationRule("httpbin", "bar",
        "httpbin.bar.svc.cluster.local", "{tls: {mode: " + tls + "}}"));
  }

  /** Writes httpbin's Service, {@code policy} and httpbin's endpoint as the configuration. */
  private MeshFolder write(String... policy) {
    List<String> documents = new ArrayList<>(List.of(service("httpbin", "bar")));
    documents.addAll(List.of(policy));
    endpoint.ifPresent(documents::add);
    MeshYaml.write(folder, documents.toArray(String[]::new));
    return this;
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
            PeerAuthorizer.anyOf(List.of(HTTPBIN))))
        .build();
  }

  static HttpResponse<String> fetch(HttpClient client, String url)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
