package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Any;
import dev.weft.config.ConfigLoader;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code @RequireMutualTls} enforced by the workload on what it receives, as it must be against
 * istiod, which ignores the policy a workload authored: a weaker port becomes STRICT.
 */
class MutualTlsFloorTest {
  private static final String FLOOR = "@RequireMutualTls on com.example.App";
  private static final WorkloadPolicy REQUIRES = new WorkloadPolicy(
      Optional.empty(), List.of(), Optional.of(FLOOR));

  @Test
  void anIstiodPlaintextListenerIsRaisedToStrictSayingBoth() throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(
        IstiodShapes.serverListener(IstiodShapes.plaintextChain()), 80, REQUIRES);

    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.because()).containsExactly(
        "control plane: inbound-plaintext chain (DISABLE), raised to STRICT by " + FLOOR,
        "istiod sends PERMISSIVE as plaintext to a proxyless server that is not labelled"
            + " security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
    assertThat(policy.acceptsPlaintext()).isFalse();
  }

  @Test
  void aPermissiveListenerIsRaisedToStrict() throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(permissive(), 80, REQUIRES);

    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.reason()).isEqualTo("control plane: inbound-mtls and inbound-plaintext"
        + " chains (PERMISSIVE), raised to STRICT by " + FLOOR);
  }

  @Test
  void withoutTheFloorTheListenerIsReadAsItIs() throws Exception {
    assertThat(XdsInterpreter.inbound(permissive(), 80, WorkloadPolicy.NONE))
        .isEqualTo(XdsInterpreter.inbound(permissive(), 80))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.PERMISSIVE);
  }

  @Test
  void aListenerTheWeftControlPlaneAlreadyRaisedStaysAsItIs() throws Exception {
    WorkloadNode httpbin = new WorkloadNode(
        WorkloadNode.nodeId("127.0.0.1", "httpbin", "bar"), "bar", "httpbin",
        Map.of("app", "httpbin"), "httpbin", List.of("127.0.0.1"), "Kubernetes", Map.of(),
        Optional.of("0.1.0"), Map.of(), REQUIRES);
    ResolvedPolicy resolved = PolicyResolver.resolve(new ConfigLoader().load("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {matchLabels: {app: httpbin}}
          mtls: {mode: DISABLE}
        """, "test.yaml").resources(), List.of(httpbin.workload()));
    String name = WorkloadXdsState.inboundListener(80);
    Listener listener = (Listener) new XdsTranslator(resolved, (w, p) -> Optional.empty())
        .resources(httpbin, XdsNames.LISTENER, List.of(name)).get(name);

    InboundPolicy policy = XdsInterpreter.inbound(listener, 80, REQUIRES);

    assertThat(policy).isEqualTo(XdsInterpreter.inbound(listener, 80));
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.because()).containsExactly("PeerAuthentication bar/httpbin:"
        + " workload-level DISABLE, raised to STRICT by " + FLOOR);
  }

  @Test
  void theWorkloadsStateServesItsPortsRaisedAndWarnsOncePerConflict() {
    WorkloadXdsState state =
        new WorkloadXdsState(TrustDomain.parse("cluster.local"), REQUIRES);
    state.watchInbound(80);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(WorkloadXdsState.class);
    logger.addAppender(logged);
    logged.start();
    try {
      Map<String, Any> plaintext = Map.of(IstiodShapes.SERVER_LISTENER,
          Any.pack(IstiodShapes.serverListener(IstiodShapes.plaintextChain())));

      assertThat(state.apply(XdsNames.LISTENER, plaintext)).isEmpty();
      assertThat(state.apply(XdsNames.LISTENER, plaintext)).isEmpty();

      assertThat(state.snapshot().inbound().get(80).mode()).isEqualTo(MtlsMode.STRICT);
      assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
          .extracting(ILoggingEvent::getFormattedMessage)
          .filteredOn(message -> message.startsWith("port 80:"))
          .containsExactly("port 80: the control plane says DISABLE (control plane:"
              + " inbound-plaintext chain (DISABLE)), but the workload requires mutual TLS ("
              + FLOOR + "): the port accepts mTLS only (STRICT)");
    } finally {
      logger.detachAppender(logged);
    }
  }

  private static Listener permissive() {
    return IstiodShapes.serverListener(
        IstiodShapes.chain("inbound-mtls")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
            .setTransportSocket(IstiodShapes.tls(IstiodShapes.serverTls(Providers.BOTH).build()))
            .build(),
        IstiodShapes.chain("inbound-plaintext")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
            .build());
  }
}
