package dev.weft.xds.internal;

import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.LoadBalancer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Cluster says about reaching its endpoints.
 *
 * @param name the cluster, e.g. {@code outbound|8000||httpbin.bar.svc.cluster.local}
 * @param edsServiceName the ClusterLoadAssignment to fetch for its endpoints
 * @param loadBalancer how to pick an endpoint
 * @param tls the TLS for every endpoint; empty when each endpoint decides (auto mTLS)
 * @param because the cluster's reasons from Weft's metadata; empty when it gives none
 */
public record ClusterSettings(String name, String edsServiceName, LoadBalancer loadBalancer,
    Optional<UpstreamTls> tls, List<String> because) {

  public ClusterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(edsServiceName, "edsServiceName");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(tls, "tls");
    because = List.copyOf(because);
  }
}
