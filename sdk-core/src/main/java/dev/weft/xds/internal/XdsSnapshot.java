package dev.weft.xds.internal;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import java.util.Map;

/**
 * What a workload has compiled from its xDS resources at one moment: the policy of each port
 * it serves and the route to each {@code host:port} it asked about. Immutable.
 *
 * @param version increases with every change
 * @param inbound by container port
 * @param outbound by {@code host:port} as the application wrote it
 * @param absent the {@code host:port}s the control plane said name no service, with why
 */
public record XdsSnapshot(
    long version, Map<Integer, InboundPolicy> inbound, Map<String, OutboundRoute> outbound,
    Map<String, String> absent) {
  /** Nothing known yet. */
  public static final XdsSnapshot EMPTY = new XdsSnapshot(0, Map.of(), Map.of(), Map.of());

  public XdsSnapshot {
    inbound = Map.copyOf(inbound);
    outbound = Map.copyOf(outbound);
    absent = Map.copyOf(absent);
  }
}
