package dev.weft.policy;

import dev.weft.policy.internal.IntMap;
import java.util.Map;
import java.util.Objects;

/** What each inbound port of one workload accepts: a workload-wide decision and per-port overrides. */
public final class WorkloadInbound {
  private final Workload workload;
  private final InboundDecision workloadWide;
  private final IntMap<InboundDecision> byPort;

  WorkloadInbound(Workload workload, InboundDecision workloadWide,
      Map<Integer, InboundDecision> byPort) {
    this.workload = Objects.requireNonNull(workload, "workload");
    this.workloadWide = Objects.requireNonNull(workloadWide, "workloadWide");
    this.byPort = IntMap.copyOf(byPort);
  }

  /** The workload. */
  public Workload workload() {
    return workload;
  }

  /** The decision for container port {@code port}; allocation-free. */
  public InboundDecision decision(int port) {
    InboundDecision decision = byPort.get(port);
    return decision != null ? decision : workloadWide;
  }

  /** The decision for ports without a port-level override. */
  public InboundDecision workloadWide() {
    return workloadWide;
  }

  /** The ports with a port-level override, ascending. */
  public int[] overriddenPorts() {
    return byPort.keys();
  }
}
