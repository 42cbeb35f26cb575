package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.controlplane.cli.StatusCommand;
import dev.weft.controlplane.cli.WeftCommandLine;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsNames;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A control plane on a watched folder, seen through its debug endpoint and weft status. */
class WatchedConfigAndStatusTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String INBOUND = "xds.istio.io/grpc/lds/inbound/0.0.0.0:80";
  private static final String STRICT = """
      apiVersion: security.istio.io/v1beta1
      kind: PeerAuthentication
      metadata: {name: default, namespace: foo}
      spec: {mtls: {mode: STRICT}}
      """;

  @TempDir Path dir;
  private ControlPlane controlPlane;
  private ManagedChannel channel;
  private AdsTestClient sleep;
  private final WorkloadNode node = new WorkloadNode(
      WorkloadNode.nodeId("127.0.0.1", "sleep", "foo"), "foo", "sleep", Map.of("app", "sleep"),
      "sleep", List.of("127.0.0.1"), "Kubernetes", Map.of(), Optional.of("0.1.0"),
      Map.of(80, new HostAndPort("127.0.0.1", 18080)));

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), STRICT);
    controlPlane = ControlPlane.newBuilder()
        .configDirectory(dir)
        .plaintextPort(0)
        .debugPort(0)
        .debounce(Duration.ofMillis(20))
        .build()
        .start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", controlPlane.plaintextPort(),
        InsecureChannelCredentials.create()).build();
    sleep = new AdsTestClient(channel, node);
  }

  @AfterEach
  void stop() throws Exception {
    sleep.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controlPlane.close();
  }

  @Test
  void aBadEditChangesNothingInForceAndShowsInStatus() throws Exception {
    DiscoveryResponse strict = subscribe();
    assertThat(chain(strict)).isEqualTo("inbound-mtls");

    Files.writeString(dir.resolve("policy.yaml"), STRICT.replace("STRICT", "STRICTT"));

    await().atMost(WAIT).until(() -> !get("/debug/configz").getAsJsonObject()
        .getAsJsonArray("errors").isEmpty());
    assertThat(sleep.responses.poll(500, TimeUnit.MILLISECONDS)).isNull();
    String status = status();
    assertThat(status).contains("config error in policy.yaml: its last good content stays in"
        + " force").contains("spec.mtls.mode (line 4): unknown mTLS mode \"STRICTT\"");
  }

  @Test
  void aGoodEditIsPushed() throws Exception {
    subscribe();

    Files.writeString(dir.resolve("policy.yaml"), STRICT.replace("STRICT", "DISABLE"));

    assertThat(chain(sleep.next(WAIT))).isEqualTo("inbound-plaintext");
  }

  @Test
  void syncStatusShowsWhatEachWorkloadAcknowledged() throws Exception {
    subscribe();

    await().atMost(WAIT).untilAsserted(() -> assertThat(status())
        .containsPattern("sleep\\.foo\\s+Kubernetes\\s+0\\.1\\.0\\s+SYNCED\\s+NOT SENT"));
  }

  @Test
  void aConfigDumpShowsTheResourcesAWorkloadGets() throws Exception {
    subscribe();

    JsonObject dump = get("/debug/config_dump?proxyID="
        + URLEncoder.encode(node.id(), StandardCharsets.UTF_8)).getAsJsonObject();

    JsonObject listener = dump.getAsJsonObject(XdsNames.LISTENER).getAsJsonObject(INBOUND);
    assertThat(listener.get("name").getAsString()).isEqualTo(INBOUND);
    assertThat(listener.toString()).contains("inbound-mtls")
        .contains("PeerAuthentication foo/default: namespace-level STRICT");
  }

  @Test
  void aConfigDumpOfAnUnknownWorkloadIsNotFound() throws Exception {
    HttpResponse<String> response = http("/debug/config_dump?proxyID=nobody");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no workload with node id \\\"nobody\\\"");
  }

  private DiscoveryResponse subscribe() throws Exception {
    sleep.request(XdsNames.LISTENER, List.of(INBOUND), null);
    DiscoveryResponse response = sleep.next(WAIT);
    sleep.request(XdsNames.LISTENER, List.of(INBOUND), response);
    return response;
  }

  private static String chain(DiscoveryResponse response) throws Exception {
    return response.getResources(0).unpack(Listener.class).getFilterChains(0).getName();
  }

  private String status() {
    StringWriter out = new StringWriter();
    WeftCommandLine.create(new StatusCommand()).setOut(new PrintWriter(out, true))
        .execute("--control-plane", "127.0.0.1:" + controlPlane.debugPort());
    return out.toString();
  }

  private com.google.gson.JsonElement get(String path) throws Exception {
    return JsonParser.parseString(http(path).body());
  }

  private HttpResponse<String> http(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + controlPlane.debugPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
