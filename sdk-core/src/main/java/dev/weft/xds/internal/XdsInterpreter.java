package dev.weft.xds.internal;

import dev.weft.mesh.InboundPolicy;
import io.envoyproxy.envoy.config.listener.v3.Listener;

/**
 * Validates the xDS resources a workload receives, from istiod or Weft's control plane, and
 * compiles them into Weft's decision tables. A resource Weft cannot apply exactly is rejected
 * with an {@link InvalidResourceException} naming the resource and field, for the client's
 * NACK: Weft fails closed and never reads what it does not understand as plaintext. Stateless.
 */
public final class XdsInterpreter {
  private XdsInterpreter() {}

  /** What server {@code listener} lets container port {@code port} accept. */
  public static InboundPolicy inbound(Listener listener, int port)
      throws InvalidResourceException {
    return ServerListenerReader.read(listener, port);
  }
}
