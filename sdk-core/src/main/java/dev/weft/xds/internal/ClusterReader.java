package dev.weft.xds.internal;

import dev.weft.identity.TrustDomain;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.LoadBalancer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Optional;

/** Compiles a Cluster: where its endpoints come from, how to balance, and any TLS it sets. */
final class ClusterReader {
  private ClusterReader() {}

  /** What {@code cluster} says, with mesh mTLS in {@code trustDomain}. */
  static ClusterSettings read(Cluster cluster, TrustDomain trustDomain)
      throws InvalidResourceException {
    FieldPath at = FieldPath.of("Cluster", cluster.getName());
    if (cluster.hasClusterType()) {
      throw at.field("cluster_type").invalid("is " + cluster.getClusterType().getName()
          + "; Weft reads endpoints by EDS only");
    }
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      throw at.field("type").invalid("is " + cluster.getType() + "; Weft reads endpoints by EDS"
          + " only");
    }
    FieldPath edsAt = at.field("eds_cluster_config");
    Protos.requireAds(cluster.getEdsClusterConfig().getEdsConfig(), edsAt.field("eds_config"));
    String serviceName = cluster.getEdsClusterConfig().getServiceName();
    if (cluster.hasLoadBalancingPolicy()) {
      throw at.field("load_balancing_policy").invalid("is set; Weft reads lb_policy only");
    }
    if (cluster.getTransportSocketMatchesCount() > 0) {
      throw at.field("transport_socket_matches").invalid("is set; Weft takes one"
          + " transport_socket, or decides per endpoint by its tlsMode=istio label");
    }
    List<String> because = FilterMetadata.because(cluster.getMetadata(), at);
    Optional<UpstreamTls> tls = cluster.hasTransportSocket()
        ? Optional.of(UpstreamTlsReader.read(cluster.getTransportSocket(), trustDomain, because,
            at.field("transport_socket")))
        : Optional.empty();
    return new ClusterSettings(cluster.getName(),
        serviceName.isEmpty() ? cluster.getName() : serviceName,
        loadBalancer(cluster, at.field("lb_policy")), tls, because);
  }

  private static LoadBalancer loadBalancer(Cluster cluster, FieldPath at)
      throws InvalidResourceException {
    switch (cluster.getLbPolicy()) {
      case ROUND_ROBIN:
        return LoadBalancer.ROUND_ROBIN;
      case LEAST_REQUEST:
        return LoadBalancer.LEAST_REQUEST;
      case RANDOM:
        return LoadBalancer.RANDOM;
      default:
        throw at.invalid("is " + cluster.getLbPolicy() + "; Weft balances by ROUND_ROBIN,"
            + " LEAST_REQUEST or RANDOM");
    }
  }
}
