package dev.weft.xds.internal;

import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.policy.MtlsMode;
import dev.weft.mesh.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a ClusterLoadAssignment into the endpoints to use, each with its TLS: the cluster's
 * when it sets one, else the endpoint's own auto-mTLS decision, from its {@code tlsMode} label.
 */
final class EndpointReader {
  private static final String TLS_MODE = "tlsMode";
  private static final String TLS_MODE_ISTIO = "istio";

  private EndpointReader() {}

  /**
   * The healthy (or unknown) endpoints of the most preferred priority that has any, each with
   * the TLS to use for it.
   */
  static List<OutboundRoute.Endpoint> read(ClusterLoadAssignment assignment,
      ClusterSettings cluster, TrustDomain trustDomain) throws InvalidResourceException {
    FieldPath at = FieldPath.of("ClusterLoadAssignment", assignment.getClusterName());
    if (!assignment.getClusterName().equals(cluster.edsServiceName())) {
      throw at.field("cluster_name").invalid("is not " + cluster.edsServiceName()
          + ", whose endpoints cluster " + cluster.name() + " reads");
    }
    Map<Integer, List<OutboundRoute.Endpoint>> byPriority = new TreeMap<>();
    // The endpoints of a service mostly have equal TLS and server policy: held once, not each.
    Map<Object, Object> shared = new HashMap<>();
    for (int i = 0; i < assignment.getEndpointsCount(); i++) {
      LocalityLbEndpoints locality = assignment.getEndpoints(i);
      FieldPath localityAt = at.field("endpoints").index(i);
      for (int j = 0; j < locality.getLbEndpointsCount(); j++) {
        LbEndpoint endpoint = locality.getLbEndpoints(j);
        OutboundRoute.Endpoint read = endpoint(endpoint, cluster, trustDomain,
            localityAt.field("lb_endpoints").index(j), shared);
        if (usable(endpoint.getHealthStatus())) {
          byPriority.computeIfAbsent(locality.getPriority(), p -> new ArrayList<>()).add(read);
        }
      }
    }
    return byPriority.values().stream().findFirst().orElse(List.of());
  }

  private static boolean usable(HealthStatus health) {
    return health == HealthStatus.HEALTHY || health == HealthStatus.UNKNOWN;
  }

  private static OutboundRoute.Endpoint endpoint(LbEndpoint endpoint, ClusterSettings cluster,
      TrustDomain trustDomain, FieldPath at, Map<Object, Object> shared)
      throws InvalidResourceException {
    if (!endpoint.hasEndpoint()) {
      throw at.field("endpoint").invalid("is missing; Weft needs an address");
    }
    Address address = endpoint.getEndpoint().getAddress();
    FieldPath socketAt = at.field("endpoint").field("address").field("socket_address");
    if (!address.hasSocketAddress()) {
      throw socketAt.invalid("is missing; Weft connects to a host or IP and port");
    }
    SocketAddress socket = address.getSocketAddress();
    if (socket.getAddress().isEmpty()) {
      throw socketAt.field("address").invalid("is empty");
    }
    if (socket.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
      throw socketAt.field("port_value").invalid("is missing; Weft does not resolve named ports");
    }
    UpstreamTls tls = cluster.tls().isPresent() ? cluster.tls().get()
        : autoMtls(endpoint, cluster, trustDomain, at, shared);
    return new OutboundRoute.Endpoint(socket.getAddress(), socket.getPortValue(),
        shared(shared, tls), shared(shared, server(endpoint, socket.getPortValue(), at)));
  }

  /** The instance equal to {@code value} that {@code shared} holds, after holding it if none. */
  @SuppressWarnings("unchecked")
  private static <T> T shared(Map<Object, Object> shared, T value) {
    return (T) shared.computeIfAbsent(value, v -> v);
  }

  /** What the server accepts, when Weft's metadata says. */
  private static Optional<InboundPolicy> server(LbEndpoint endpoint, int port, FieldPath at)
      throws InvalidResourceException {
    Optional<String> mode = FilterMetadata.string(endpoint.getMetadata(), XdsNames.WEFT_METADATA,
        XdsNames.SERVER_MODE, at);
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    MtlsMode parsed;
    try {
      parsed = MtlsMode.valueOf(mode.get());
    } catch (IllegalArgumentException e) {
      parsed = MtlsMode.UNSET;
    }
    if (parsed == MtlsMode.UNSET) {
      throw at.field("metadata").field("filter_metadata").field(XdsNames.WEFT_METADATA)
          .field(XdsNames.SERVER_MODE).invalid("is " + mode.get()
              + ", not STRICT, PERMISSIVE or DISABLE");
    }
    return Optional.of(new InboundPolicy(port, parsed,
        FilterMetadata.reasons(endpoint.getMetadata(), XdsNames.SERVER_BECAUSE, at)));
  }

  /** The endpoint's own decision: mesh mTLS if labelled {@code tlsMode: istio}, else plaintext. */
  private static UpstreamTls autoMtls(LbEndpoint endpoint, ClusterSettings cluster,
      TrustDomain trustDomain, FieldPath at, Map<Object, Object> shared)
      throws InvalidResourceException {
    boolean mesh = FilterMetadata.string(endpoint.getMetadata(), XdsNames.TRANSPORT_SOCKET_MATCH,
        TLS_MODE, at).filter(TLS_MODE_ISTIO::equals).isPresent();
    List<String> because = FilterMetadata.because(endpoint.getMetadata(), at);
    if (because.isEmpty()) {
      because = cluster.because();
    }
    if (because.isEmpty()) {
      because = List.of(mesh
          ? "control plane: endpoint labelled tlsMode=istio (auto mTLS)"
          : "control plane: endpoint has no tlsMode=istio label: plaintext");
    }
    if (!mesh) {
      return new UpstreamTls.Plaintext(because);
    }
    Optional<String> identity =
        FilterMetadata.string(endpoint.getMetadata(), XdsNames.WEFT_METADATA, "identity", at);
    Set<SpiffeId> expected = Set.of();
    if (identity.isPresent()) {
      try {
        expected = shared(shared, Set.of(SpiffeId.parse(identity.get())));
      } catch (InvalidSpiffeIdException e) {
        throw at.field("metadata").field("filter_metadata").field(XdsNames.WEFT_METADATA)
            .field("identity").invalid(e.getMessage());
      }
    }
    return new UpstreamTls.MeshMtls(expected, trustDomain, Optional.empty(), because);
  }
}
