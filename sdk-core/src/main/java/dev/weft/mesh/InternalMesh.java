package dev.weft.mesh;

import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsMultiplexer;

/**
 * What Weft's own stack adapters reach inside a {@link Mesh}, not for applications: it may
 * change in any release.
 */
public final class InternalMesh {
  private InternalMesh() {}

  /** The workload's xDS stream, shared with the other xDS clients of the process. */
  public static XdsMultiplexer xdsMultiplexer(Mesh mesh) {
    return mesh.xdsMultiplexer();
  }

  /** How the workload introduces itself to the control plane. */
  public static WorkloadNode node(Mesh mesh) {
    return mesh.node();
  }
}
