package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/** The name of an xDS resource, whatever its type. */
final class XdsResourceNames {
  private XdsResourceNames() {}

  /** The resource's name; its type URL with a note when it cannot be read. */
  static String of(Any resource) {
    try {
      switch (resource.getTypeUrl()) {
        case XdsNames.LISTENER:
          return resource.unpack(Listener.class).getName();
        case XdsNames.ROUTE:
          return resource.unpack(RouteConfiguration.class).getName();
        case XdsNames.CLUSTER:
          return resource.unpack(Cluster.class).getName();
        case XdsNames.ENDPOINT:
          return resource.unpack(ClusterLoadAssignment.class).getClusterName();
        default:
          return resource.getTypeUrl();
      }
    } catch (InvalidProtocolBufferException e) {
      return resource.getTypeUrl() + " (unreadable: " + e.getMessage() + ")";
    }
  }
}
