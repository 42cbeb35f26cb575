package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.Test;

/** Names read from a resource's bytes, without parsing it or keeping a parsed copy. */
class XdsResourceNamesTest {
  @Test
  void eachTypeIsNamedByItsNameOrClusterName() {
    // A serializer may write the name after other fields: those are skipped, not taken for it.
    ByteString addressFirst = Listener.newBuilder().setAddress(Address.newBuilder()
            .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(8000)))
        .build().toByteString()
        .concat(Listener.newBuilder().setName("outbound|8000||httpbin.bar").build().toByteString());
    Any packed = Any.newBuilder().setTypeUrl(XdsNames.LISTENER).setValue(addressFirst).build();

    assertThat(XdsResourceNames.of(packed)).isEqualTo("outbound|8000||httpbin.bar");
    assertThat(XdsResourceNames.of(Any.pack(RouteConfiguration.newBuilder().setName("8000")
        .addVirtualHosts(VirtualHost.newBuilder().setName("httpbin").addDomains("*")).build())))
        .isEqualTo("8000");
    assertThat(XdsResourceNames.of(Any.pack(Cluster.newBuilder().setName("c").build())))
        .isEqualTo("c");
    assertThat(XdsResourceNames.of(Any.pack(
        ClusterLoadAssignment.newBuilder().setClusterName("eds").build()))).isEqualTo("eds");
  }

  @Test
  void aResourceWithoutANameIsNamedEmpty() {
    assertThat(XdsResourceNames.of(Any.pack(Cluster.getDefaultInstance()))).isEmpty();
  }

  @Test
  void unreadableBytesSayTheyAreUnreadable() {
    Any broken = Any.newBuilder().setTypeUrl(XdsNames.CLUSTER)
        .setValue(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 'x'})).build();

    assertThat(XdsResourceNames.of(broken)).startsWith(XdsNames.CLUSTER + " (unreadable: ");
  }

  @Test
  void anotherTypeIsNamedByItsTypeUrl() {
    Any other = Any.newBuilder().setTypeUrl("type.googleapis.com/some.Other").build();

    assertThat(XdsResourceNames.of(other)).isEqualTo("type.googleapis.com/some.Other");
  }
}
