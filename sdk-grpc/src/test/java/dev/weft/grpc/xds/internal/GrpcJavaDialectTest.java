package dev.weft.grpc.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.internal.XdsNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcJavaDialectTest {
  @Test
  void aListenerSayingANameNamesNoServiceIsLeftOutSoGrpcJavaSeesItDoesNotExist() {
    Any absent = Any.pack(Listener.newBuilder().setName("nothing:80")
        .setMetadata(Metadata.newBuilder().putFilterMetadata(XdsNames.WEFT_METADATA,
            Struct.newBuilder().putFields(XdsNames.ABSENT,
                Value.newBuilder().setStringValue("no Service nothing").build()).build()))
        .build());
    Any present = Any.pack(Listener.newBuilder().setName("greeter:80").build());

    assertThat(GrpcJavaDialect.adapt(XdsNames.LISTENER,
        Map.of("nothing:80", absent, "greeter:80", present)))
        .containsOnlyKeys("greeter:80").containsEntry("greeter:80", present);
  }

  @Test
  void randomLoadBalancingBecomesRoundRobinAndTheRestOfTheClusterStays() throws Exception {
    Cluster random = Cluster.newBuilder().setName("outbound|80||a")
        .setLbPolicy(Cluster.LbPolicy.RANDOM)
        .setTransportSocket(TransportSocket.newBuilder().setName(XdsNames.TLS_TRANSPORT_SOCKET))
        .build();

    Cluster adapted = GrpcJavaDialect.adapt(XdsNames.CLUSTER,
        Map.of("outbound|80||a", Any.pack(random))).get("outbound|80||a").unpack(Cluster.class);

    assertThat(adapted).isEqualTo(
        random.toBuilder().setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build());
  }

  @Test
  void whatGrpcJavaMustRejectPassesUnchanged() {
    Any maglev = Any.pack(Cluster.newBuilder().setName("c")
        .setLbPolicy(Cluster.LbPolicy.MAGLEV).build());
    Any notAListener = Any.pack(Cluster.newBuilder().setName("l").build());

    assertThat(GrpcJavaDialect.adapt(XdsNames.CLUSTER, Map.of("c", maglev)))
        .containsEntry("c", maglev);
    assertThat(GrpcJavaDialect.adapt(XdsNames.LISTENER, Map.of("l", notAListener)))
        .containsEntry("l", notAListener);
  }
}
