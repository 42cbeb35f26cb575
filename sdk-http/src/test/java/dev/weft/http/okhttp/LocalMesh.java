package dev.weft.http.okhttp;

import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of Istio YAML that the meshes of a test run on locally, in-process, with the
 * JVM's local CA: a client {@code sleep} in {@code foo}, and servers' workloads for their
 * certificates.
 */
final class LocalMesh implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Path dir;
  private final List<Mesh> meshes = new ArrayList<>();
  private Mesh client;

  LocalMesh(Path dir) {
    this.dir = dir;
  }

  /** Replaces the mesh's configuration, atomically, as an editor or a ConfigMap mount does. */
  LocalMesh write(String... documents) throws IOException {
    Path temp = dir.resolve(".mesh.yaml.tmp");
    Files.writeString(temp, String.join("---\n", documents));
    Files.move(temp, dir.resolve("mesh.yaml"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return this;
  }

  /** The client workload, {@code spiffe://cluster.local/ns/foo/sa/sleep}, started on first use. */
  Mesh client() throws IOException {
    if (client == null) {
      client = workload("foo", "sleep");
    }
    return client;
  }

  /** A started workload of {@code serviceAccount} in {@code namespace}, for its certificates. */
  Mesh workload(String namespace, String serviceAccount) throws IOException {
    Mesh mesh = Mesh.builder().namespace(namespace).serviceAccount(serviceAccount)
        .localConfig(dir).startupTimeout(WAIT).build();
    meshes.add(mesh);
    return mesh.start();
  }

  @Override
  public void close() {
    meshes.forEach(Mesh::close);
  }

  /** Service {@code name} in {@code namespace}: port {@code http} 8000, target port 80. */
  static String service(String name, String namespace) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {app: %s}
          ports: [{name: http, port: 8000, targetPort: 80}]
        """.formatted(name, namespace, name);
  }

  /**
   * An endpoint of Service {@code app} at 127.0.0.1:{@code port} running as
   * {@code serviceAccount}; a {@code meshEndpoint} speaks mesh mTLS (auto mTLS sends it mTLS).
   */
  static String workloadEntry(String name, String namespace, String app, String serviceAccount,
      int port, boolean meshEndpoint) {
    return """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: %s, namespace: %s}
        spec:
          address: 127.0.0.1
          labels: {app: %s%s}
          serviceAccount: %s
          ports: {http: %d}
        """.formatted(name, namespace, app,
        meshEndpoint ? ", security.istio.io/tlsMode: istio" : "", serviceAccount, port);
  }

  /** A workload-level PeerAuthentication of {@code app} in {@code namespace}. */
  static String peerAuthentication(String namespace, String app, String mode) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {app: %s}}
          mtls: {mode: %s}
        """.formatted(app, namespace, app, mode);
  }

  /** A DestinationRule {@code name} in {@code namespace} for {@code host}, with a YAML trafficPolicy. */
  static String destinationRule(String name, String namespace, String host, String trafficPolicy) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s, namespace: %s}
        spec:
          host: %s
          trafficPolicy: %s
        """.formatted(name, namespace, host, trafficPolicy);
  }
}
