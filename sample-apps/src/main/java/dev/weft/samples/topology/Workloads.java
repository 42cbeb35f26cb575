package dev.weft.samples.topology;

import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/** What the topology gives a protocol's workloads to join the mesh with. */
interface Workloads {
  /** A started mesh of workload {@code name} in {@code namespace}, with its ports added. */
  Mesh join(String namespace, String name, Consumer<Mesh.Builder> ports) throws IOException;

  /** The {@code weft.*} settings that make a Micronaut application that workload. */
  Map<String, Object> weftProperties(String namespace, String name) throws IOException;

  /** Waits until {@code mesh} knows its routes to every httpbin, as a sleep needs. */
  void awaitRoutes(Mesh mesh) throws InterruptedException;
}
