package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.policy.ClientTls;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.TlsMode;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.policy.WorkloadPolicy.AuthoredDestinationRule;
import dev.weft.policy.WorkloadPolicy.AuthoredPeerAuthentication;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy a workload authored travels in its node metadata, and a bad value fails closed. */
class WorkloadPolicyMetadataTest {
  private static final WorkloadPolicy POLICY = new WorkloadPolicy(
      Optional.of(new AuthoredPeerAuthentication(MtlsMode.STRICT,
          Map.of(9090, MtlsMode.DISABLE), "@PeerAuthentication on com.example.Httpbin")),
      List.of(new AuthoredDestinationRule("api.example.com", new ClientTls(TlsMode.MUTUAL,
              Optional.of("/c.pem"), Optional.of("/c.key"), Optional.of("/ca.pem"),
              Optional.empty(), List.of("api.example.com"), Optional.of("api"), false),
              "@DestinationRule on com.example.Client"),
          new AuthoredDestinationRule("httpbin", ClientTls.of(TlsMode.DISABLE),
              "@DestinationRule on com.example.Client")),
      Optional.of("@RequireMutualTls on com.example.App"));

  @Test
  void theAuthoredPolicyReachesTheControlPlaneUnchanged() {
    WorkloadNode node = node(POLICY);

    Node sent = NodeMetadata.toNode(node);

    assertThat(sent.getMetadata().getFieldsMap()).containsKey("WEFT_WORKLOAD_POLICY");
    assertThat(NodeMetadata.fromNode(sent)).isEqualTo(node);
    assertThat(NodeMetadata.fromNode(sent).workload().authoredPolicy()).isEqualTo(POLICY);
  }

  @Test
  void aWorkloadThatAuthoredNothingSendsNothing() {
    Node sent = NodeMetadata.toNode(node(WorkloadPolicy.NONE));

    assertThat(sent.getMetadata().getFieldsMap()).doesNotContainKey("WEFT_WORKLOAD_POLICY");
    assertThat(NodeMetadata.fromNode(sent).authoredPolicy()).isEqualTo(WorkloadPolicy.NONE);
  }

  @Test
  void anotherVersionIsRefusedRatherThanPartlyApplied() {
    assertThatThrownBy(() -> read(encoded().putFields("version", number(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.version is 2; this Weft reads version"
            + " 1 only, so it refuses the policy rather than apply part of it");
  }

  @Test
  void anUnknownFieldIsRefused() {
    assertThatThrownBy(() -> read(encoded().putFields("requireAuthorization", number(1))))
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.requireAuthorization is not known to"
            + " this Weft, which refuses the policy rather than ignore part of it");
  }

  @Test
  void aMalformedValueIsRefusedNamingItsField() {
    Struct.Builder pa = encoded().getFieldsOrThrow("peerAuthentication").getStructValue()
        .toBuilder().putFields("mode", string("STRICTEST"));
    assertThatThrownBy(() -> read(encoded().putFields("peerAuthentication", struct(pa))))
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.peerAuthentication.mode is"
            + " \"STRICTEST\"; valid values are [UNSET, DISABLE, PERMISSIVE, STRICT]");

    Struct.Builder ports = Struct.newBuilder().putFields("http", string("DISABLE"));
    Struct.Builder namedPort = pa.putFields("mode", string("STRICT"))
        .putFields("portLevelMtls", struct(ports));
    assertThatThrownBy(() -> read(encoded().putFields("peerAuthentication", struct(namedPort))))
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.peerAuthentication.portLevelMtls.http"
            + " is not keyed by a port number");

    assertThatThrownBy(() -> read(encoded().putFields("requireMutualTls", string("yes"))))
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.requireMutualTls is not a struct but"
            + " \"yes\"");
  }

  @Test
  void aValueTheModelRefusesIsRefusedNamingItsField() {
    Struct tls = Struct.newBuilder().putFields("mode", string("MUTUAL")).build();
    Struct rule = Struct.newBuilder().putFields("origin", string("@DestinationRule on X"))
        .putFields("host", string("api")).putFields("tls", struct(tls.toBuilder())).build();
    Struct.Builder policy = encoded().putFields("destinationRules", Value.newBuilder()
        .setListValue(ListValue.newBuilder().addValues(struct(rule.toBuilder()))).build());

    assertThatThrownBy(() -> read(policy))
        .hasMessage("node metadata WEFT_WORKLOAD_POLICY.destinationRules[0] is refused:"
            + " @DestinationRule on X: tls mode MUTUAL needs clientCertificate and privateKey;"
            + " clientCertificate and privateKey are missing");
  }

  private static WorkloadNode node(WorkloadPolicy policy) {
    return new WorkloadNode(WorkloadNode.nodeId("127.0.0.1", "httpbin", "bar"), "bar",
        "httpbin", Map.of("app", "httpbin"), "httpbin", List.of("127.0.0.1"), "Kubernetes",
        Map.of(), Optional.of("0.1.0"), Map.of(), policy);
  }

  private static Struct.Builder encoded() {
    return NodeMetadata.toNode(node(POLICY)).getMetadata()
        .getFieldsOrThrow("WEFT_WORKLOAD_POLICY").getStructValue().toBuilder();
  }

  private static WorkloadNode read(Struct.Builder policy) {
    Node node = NodeMetadata.toNode(node(WorkloadPolicy.NONE));
    return NodeMetadata.fromNode(node.toBuilder().setMetadata(node.getMetadata().toBuilder()
        .putFields("WEFT_WORKLOAD_POLICY", struct(policy))).build());
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value struct(Struct.Builder struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }
}
