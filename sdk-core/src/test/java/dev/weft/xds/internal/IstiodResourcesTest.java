package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mesh.InboundPolicy;
import dev.weft.policy.MtlsMode;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What istiod sends proxyless gRPC, written by hand, compiles with reasons that say so. */
class IstiodResourcesTest {
  @ParameterizedTest
  @EnumSource(Providers.class)
  void anIstiodMtlsChainIsStrictInEitherGenerationOfProviderFields(Providers providers)
      throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(
        IstiodShapes.serverListener(IstiodShapes.mtlsChain(providers)), 80);

    assertThat(policy.port()).isEqualTo(80);
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.because()).containsExactly(
        "control plane: inbound-mtls chain (STRICT)",
        "istiod sends PERMISSIVE as mTLS to a proxyless server labelled"
            + " security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
  }

  @Test
  void anIstiodPlaintextChainIsDisableAndSaysIstiodSendsPermissiveAsPlaintext() throws Exception {
    InboundPolicy policy =
        XdsInterpreter.inbound(IstiodShapes.serverListener(IstiodShapes.plaintextChain()), 80);

    assertThat(policy.mode()).isEqualTo(MtlsMode.DISABLE);
    assertThat(policy.because()).containsExactly(
        "control plane: inbound-plaintext chain (DISABLE)",
        "istiod sends PERMISSIVE as plaintext to a proxyless server that is not labelled"
            + " security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
  }

  @Test
  void twoChainsSplitByTransportProtocolWithoutReasonsArePermissive() throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(IstiodShapes.serverListener(
        IstiodShapes.chain("inbound-mtls")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
            .setTransportSocket(IstiodShapes.tls(IstiodShapes.serverTls(Providers.BOTH).build()))
            .build(),
        IstiodShapes.chain("inbound-plaintext")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
            .build()), 80);

    assertThat(policy.mode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(policy.because())
        .containsExactly("control plane: inbound-mtls and inbound-plaintext chains (PERMISSIVE)");
  }
}
