package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigLoader;
import dev.weft.policy.PolicyResolver;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class XdsMultiplexerTest {
  private static final Any LISTENER_A = Any.pack(Listener.newBuilder().setName("a:80").build());
  private static final Any LISTENER_B = Any.pack(Listener.newBuilder().setName("b:80").build());
  private static final Any ROUTE_A =
      Any.pack(RouteConfiguration.newBuilder().setName("route-a").build());

  private final RecordingHandler primary = new RecordingHandler();
  private final XdsMultiplexer multiplexer = new XdsMultiplexer(new Object(), primary);
  private final Map<String, List<Set<String>>> upstream = new HashMap<>();

  XdsMultiplexerTest() {
    multiplexer.subscribeThrough((type, names) ->
        upstream.computeIfAbsent(type, t -> new ArrayList<>()).add(Set.copyOf(names)));
  }

  @Test
  void upstreamSubscribesToTheUnionAndDropsWhatOnlyAClosedStreamWanted() {
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80"));
    XdsMultiplexer.Subscription relayed = multiplexer.open(new RecordingReceiver());
    relayed.subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));
    relayed.subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));

    assertThat(upstream.get(XdsNames.LISTENER))
        .containsExactly(Set.of("a:80"), Set.of("a:80", "b:80"));

    relayed.close();

    assertThat(upstream.get(XdsNames.LISTENER)).last().isEqualTo(Set.of("a:80"));
    assertThat(multiplexer.upstreamSubscription(XdsNames.LISTENER)).containsExactly("a:80");
  }

  @Test
  void aStreamAskingForNamesAlreadySubscribedIsAnsweredAtOnceFromTheCache() {
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));
    multiplexer.apply(XdsNames.LISTENER, Map.of("a:80", LISTENER_A, "b:80", LISTENER_B));
    RecordingReceiver receiver = new RecordingReceiver();

    multiplexer.open(receiver).subscribe(XdsNames.LISTENER, Set.of("b:80"));

    assertThat(receiver.received).singleElement()
        .isEqualTo(Map.of(XdsNames.LISTENER, Map.of("b:80", LISTENER_B)));
    assertThat(upstream.get(XdsNames.LISTENER)).hasSize(1);
  }

  @Test
  void theCacheDoesNotAnswerForANameUpstreamWasNotYetAskedFor() {
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80"));
    multiplexer.apply(XdsNames.LISTENER, Map.of("a:80", LISTENER_A));
    RecordingReceiver receiver = new RecordingReceiver();

    multiplexer.open(receiver).subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));

    assertThat(receiver.received).as("b:80 may exist: wait for upstream").isEmpty();
    assertThat(upstream.get(XdsNames.LISTENER)).last().isEqualTo(Set.of("a:80", "b:80"));
  }

  @Test
  void aListenerResponseReachesEverySubscriberOfTheTypeEvenWithNoneOfItsNames() {
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80"));
    RecordingReceiver receiver = new RecordingReceiver();
    multiplexer.open(receiver).subscribe(XdsNames.LISTENER, Set.of("b:80"));

    multiplexer.apply(XdsNames.LISTENER, Map.of("a:80", LISTENER_A));

    assertThat(receiver.received).as("b:80 does not exist")
        .containsExactly(Map.of(XdsNames.LISTENER, Map.of()));
    assertThat(primary.applied).containsExactly(Map.of(XdsNames.LISTENER,
        Map.of("a:80", LISTENER_A)));
  }

  @Test
  void aRouteResponseReachesOnlySubscribersOfANameItCarries() {
    multiplexer.primary().subscribe(XdsNames.ROUTE, Set.of("route-a"));
    RecordingReceiver receiver = new RecordingReceiver();
    multiplexer.open(receiver).subscribe(XdsNames.ROUTE, Set.of("route-b"));

    multiplexer.apply(XdsNames.ROUTE, Map.of("route-a", ROUTE_A));

    assertThat(receiver.received).isEmpty();
    assertThat(primary.applied).containsExactly(Map.of(XdsNames.ROUTE, Map.of("route-a", ROUTE_A)));
  }

  @Test
  void thePrimarysRejectionsAreTheAnswerUpstreamAndRelayedStreamsJudgeForThemselves() {
    primary.rejecting = Map.of("a:80", "Listener a:80: no");
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80"));
    RecordingReceiver receiver = new RecordingReceiver();
    multiplexer.open(receiver).subscribe(XdsNames.LISTENER, Set.of("a:80"));

    Map<String, String> rejected =
        multiplexer.apply(XdsNames.LISTENER, Map.of("a:80", LISTENER_A, "c:80", LISTENER_B));

    assertThat(rejected).containsExactly(Map.entry("a:80", "Listener a:80: no"));
    assertThat(receiver.received).containsExactly(Map.of(XdsNames.LISTENER,
        Map.of("a:80", LISTENER_A)));
  }

  @Test
  void aClosedStreamReceivesNothingMore() {
    multiplexer.primary().subscribe(XdsNames.LISTENER, Set.of("a:80"));
    RecordingReceiver receiver = new RecordingReceiver();
    XdsMultiplexer.Subscription relayed = multiplexer.open(receiver);
    relayed.subscribe(XdsNames.LISTENER, Set.of("a:80"));
    relayed.close();

    multiplexer.apply(XdsNames.LISTENER, Map.of("a:80", LISTENER_A));
    relayed.subscribe(XdsNames.LISTENER, Set.of("a:80"));

    assertThat(receiver.received).isEmpty();
  }

  @Test
  void aLocalSourceAnswersTheWorkloadAndARelayedStreamThroughOneTranslation() {
    WorkloadNode node = new WorkloadNode(WorkloadNode.nodeId("127.0.0.1", "sleep", "foo"),
        "foo", "sleep", Map.of("app", "sleep"), "sleep", List.of("127.0.0.1"), "Kubernetes",
        Map.of(), Optional.of("0.1.0"), Map.of());
    var resources = new ConfigLoader().load("""
        apiVersion: v1
        kind: Service
        metadata: {name: greeter, namespace: bar}
        spec:
          selector: {app: greeter}
          ports: [{name: grpc, port: 8080}]
        """, "test.yaml").resources();
    XdsTranslator translator = new XdsTranslator(
        PolicyResolver.resolve(resources, List.of(node.workload())),
        (workload, port) -> Optional.of(new HostAndPort("127.0.0.1", port)));
    WorkloadXdsState state = new WorkloadXdsState(dev.weft.identity.TrustDomain.parse(
        "cluster.local"));
    XdsMultiplexer local = XdsMultiplexer.over(state);
    local.subscribeThrough(new LocalXdsSource(node, translator, local));
    RecordingReceiver receiver = new RecordingReceiver();

    state.watchOutbound("greeter.bar.svc.cluster.local", 8080);
    local.open(receiver).subscribe(XdsNames.LISTENER,
        Set.of("greeter.bar.svc.cluster.local:8080", "nothing.bar.svc.cluster.local:80"));

    assertThat(state.snapshot().outbound()).containsKey("greeter.bar.svc.cluster.local:8080");
    assertThat(receiver.received).last().satisfies(response ->
        assertThat(response.get(XdsNames.LISTENER)).containsOnlyKeys(
            "greeter.bar.svc.cluster.local:8080", "nothing.bar.svc.cluster.local:80"));
  }

  /** The primary: records what it is given and rejects what it is told to. */
  private static final class RecordingHandler implements AdsClient.Handler {
    final List<Map<String, Map<String, Any>>> applied = new ArrayList<>();
    Map<String, String> rejecting = Map.of();

    @Override
    public Map<String, String> apply(String typeUrl, Map<String, Any> resources) {
      applied.add(Map.of(typeUrl, Map.copyOf(resources)));
      return rejecting;
    }
  }

  private static final class RecordingReceiver implements XdsMultiplexer.Receiver {
    final List<Map<String, Map<String, Any>>> received = new ArrayList<>();

    @Override
    public void receive(String typeUrl, String version, Map<String, Any> resources) {
      received.add(Map.of(typeUrl, Map.copyOf(resources)));
    }
  }
}
