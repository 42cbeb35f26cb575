package dev.weft.http.okhttp;

import dev.weft.mesh.Mesh;
import dev.weft.testing.MeshYaml;
import java.io.IOException;
import java.nio.file.Path;
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
  LocalMesh write(String... documents) {
    MeshYaml.write(dir, documents);
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
}
