package dev.weft.xds.internal;

import dev.weft.cert.internal.HostAndPort;
import dev.weft.policy.Workload;
import java.util.Optional;

/** Where a workload's container port is reached, from the registry. */
@FunctionalInterface
public interface EndpointAddresses {
  /** The address of {@code port} on {@code workload}; empty if it is not reachable. */
  Optional<HostAndPort> address(Workload workload, int port);
}
