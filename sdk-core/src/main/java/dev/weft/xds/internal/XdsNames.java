package dev.weft.xds.internal;

import java.util.Optional;

/** The type URLs and resource names istiod uses for proxyless gRPC, which Weft uses too. */
public final class XdsNames {
  public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String ENDPOINT =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  /** The types a workload uses, in the order each leads to the next. */
  public static final java.util.List<String> TYPES_IN_ORDER =
      java.util.List.of(LISTENER, ROUTE, CLUSTER, ENDPOINT);

  /** Server listeners are requested as this prefix plus {@code <ip>:<port>}. */
  public static final String INBOUND_LISTENER_PREFIX = "xds.istio.io/grpc/lds/inbound/";
  /** The certificate-provider instance istiod names for the workload certificate and roots. */
  public static final String CERTIFICATE_PROVIDER = "default";
  /** The certificate name of the workload's own certificate. */
  public static final String WORKLOAD_CERTIFICATE = "default";
  /** The certificate name of the mesh roots. */
  public static final String ROOT_CERTIFICATE = "ROOTCA";
  /** The endpoint metadata key that carries the per-endpoint auto-mTLS decision. */
  public static final String TRANSPORT_SOCKET_MATCH = "envoy.transport_socket_match";
  /** The transport socket name for TLS, which grpc-java requires exactly. */
  public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
  /** The filter-metadata key under which Weft puts what only Weft reads. */
  public static final String WEFT_METADATA = "weft";
  /** The key of Weft's metadata on a client listener that names no service: why not. */
  public static final String ABSENT = "absent";
  /** Keys of Weft's metadata on an endpoint: what its server accepts on the port, and why. */
  public static final String SERVER_MODE = "serverMode";
  public static final String SERVER_BECAUSE = "serverBecause";

  private XdsNames() {}

  /** A cluster name {@code outbound|<port>|<subset>|<host>}, parsed. */
  public record ClusterName(int port, String subset, String host) {
    /** {@code outbound|<port>|<subset>|<host>}. */
    @Override
    public String toString() {
      return "outbound|" + port + "|" + subset + "|" + host;
    }
  }

  /** The default (no subset) cluster of {@code host:port}; also its RDS and EDS name. */
  public static String cluster(String host, int port) {
    return new ClusterName(port, "", host).toString();
  }

  /** Parses a cluster, route or endpoint name; empty if it is not {@code outbound|...}. */
  public static Optional<ClusterName> parseCluster(String name) {
    String[] parts = name.split("\\|", -1);
    if (parts.length != 4 || !parts[0].equals("outbound")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ClusterName(Integer.parseInt(parts[1]), parts[2], parts[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
