package dev.weft.grpc.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.internal.XdsNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what only Weft understands into what grpc-java handles: a listener Weft sends to say a
 * name names no service is left out (grpc-java then knows it does not exist), and RANDOM load
 * balancing becomes ROUND_ROBIN, as istiod sends it. Everything else passes unchanged, so that
 * what grpc-java cannot do safely it rejects loudly rather than doing something else.
 */
final class GrpcJavaDialect {
  private GrpcJavaDialect() {}

  /** {@code resources} of {@code typeUrl} as grpc-java should see them. */
  static Map<String, Any> adapt(String typeUrl, Map<String, Any> resources) {
    Map<String, Any> adapted = new LinkedHashMap<>();
    resources.forEach((name, resource) -> {
      try {
        switch (typeUrl) {
          case XdsNames.LISTENER -> {
            if (!isAbsent(resource.unpack(Listener.class))) {
              adapted.put(name, resource);
            }
          }
          case XdsNames.CLUSTER -> adapted.put(name, roundRobinForRandom(resource));
          default -> adapted.put(name, resource);
        }
      } catch (InvalidProtocolBufferException e) {
        // grpc-java reads it too, and rejects it naming the resource.
        adapted.put(name, resource);
      }
    });
    return adapted;
  }

  private static boolean isAbsent(Listener listener) {
    var weft = listener.getMetadata().getFilterMetadataMap().get(XdsNames.WEFT_METADATA);
    return weft != null && weft.containsFields(XdsNames.ABSENT);
  }

  private static Any roundRobinForRandom(Any resource) throws InvalidProtocolBufferException {
    Cluster cluster = resource.unpack(Cluster.class);
    if (cluster.getLbPolicy() != Cluster.LbPolicy.RANDOM) {
      return resource;
    }
    return Any.pack(cluster.toBuilder().setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build());
  }
}
