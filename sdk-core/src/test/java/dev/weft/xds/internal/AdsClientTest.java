package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ADS client against a control plane on loopback that answers only when the test says, so
 * that what the client sends while a request is unanswered shows.
 */
class AdsClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final BlockingQueue<DiscoveryRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicReference<StreamObserver<DiscoveryResponse>> responses =
      new AtomicReference<>();
  private final Object lock = new Object();
  private ScheduledExecutorService scheduler;
  private Server server;
  private ManagedChannel channel;
  private AdsClient client;

  @BeforeEach
  void start() throws Exception {
    server = NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            InsecureServerCredentials.create())
        .addService(new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(
              StreamObserver<DiscoveryResponse> stream) {
            responses.set(stream);
            return new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryRequest request) {
                requests.add(request);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                stream.onCompleted();
              }
            };
          }
        })
        .build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
        InsecureChannelCredentials.create()).build();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    client = new AdsClient(lock, channel, Node.newBuilder().setId("test").build(),
        (type, resources) -> Map.of(), scheduler, Duration.ofMillis(100), Duration.ofSeconds(1));
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    scheduler.shutdownNow();
  }

  @Test
  void targetsAddedWhileARequestIsUnansweredGoOutTogetherWithItsAck() throws Exception {
    Set<String> names = new TreeSet<>(Set.of("target-0:80"));
    client.subscribe(XdsNames.LISTENER, names);
    assertThat(next().getResourceNamesList()).containsExactly("target-0:80");

    for (int i = 1; i < 100; i++) {
      names.add("target-" + i + ":80");
      client.subscribe(XdsNames.LISTENER, names);
    }
    // Well within the hold limit: the additions wait for the answer.
    assertThat(requests.poll(AdsClient.HOLD_LIMIT.toMillis() / 2, TimeUnit.MILLISECONDS))
        .isNull();
    respond("1", "nonce-1");

    DiscoveryRequest ack = next();
    assertThat(ack.getVersionInfo()).isEqualTo("1");
    assertThat(ack.getResponseNonce()).isEqualTo("nonce-1");
    assertThat(ack.getResourceNamesList()).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void aSubscriptionThatDropsNamesGoesOutAtOnce() throws Exception {
    client.subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));
    next();

    client.subscribe(XdsNames.LISTENER, Set.of("a:80"));

    assertThat(next().getResourceNamesList()).containsExactly("a:80");
  }

  @Test
  void additionsAControlPlaneLeavesUnansweredGoOutAfterTheHoldLimit() throws Exception {
    client.subscribe(XdsNames.LISTENER, Set.of("a:80"));
    next();

    client.subscribe(XdsNames.LISTENER, Set.of("a:80", "b:80"));

    DiscoveryRequest held = next();
    assertThat(held.getResourceNamesList()).containsExactly("a:80", "b:80");
    assertThat(held.getResponseNonce()).isEmpty();
  }

  @Test
  void eachTypeWaitsOnlyForItsOwnAnswer() throws Exception {
    client.subscribe(XdsNames.LISTENER, Set.of("a:80"));
    next();

    client.subscribe(XdsNames.CLUSTER, Set.of("outbound|80||a"));

    DiscoveryRequest clusters = next();
    assertThat(clusters.getTypeUrl()).isEqualTo(XdsNames.CLUSTER);
    assertThat(clusters.getResourceNamesList()).containsExactly("outbound|80||a");
  }

  private DiscoveryRequest next() throws InterruptedException {
    DiscoveryRequest request = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(request).as("a request within " + WAIT).isNotNull();
    return request;
  }

  private void respond(String version, String nonce) {
    responses.get().onNext(DiscoveryResponse.newBuilder().setTypeUrl(XdsNames.LISTENER)
        .setVersionInfo(version).setNonce(nonce).build());
  }
}
