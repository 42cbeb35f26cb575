package dev.weft.samples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.sleep.SleepClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Micronaut samples with the policy they author: httpbin's {@code @RequireMutualTls} holds
 * against its namespace's DISABLE, and sleep's {@code @DestinationRule} sends it mesh mTLS where
 * its namespace's rule says plaintext.
 */
class MicronautSamplesTest {
  private static final String MESH = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: bar}
      spec: {mtls: {mode: DISABLE}}
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: foo}
      spec:
        host: httpbin.bar.svc.cluster.local
        trafficPolicy: {tls: {mode: DISABLE}}
      """;
  private static final String HTTPBIN_ENDPOINT = """
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: httpbin-1, namespace: bar}
      spec:
        address: 127.0.0.1
        labels: {app: httpbin, security.istio.io/tlsMode: istio}
        serviceAccount: httpbin
        ports: {http: %d}
      """;

  @TempDir Path folder;
  private MicronautSample httpbin;
  private MicronautSample sleep;

  @AfterEach
  void stop() {
    if (sleep != null) {
      sleep.close();
    }
    if (httpbin != null) {
      httpbin.close();
    }
  }

  @Test
  void theSamplesOwnPolicyOverridesTheirNamespaces() throws Exception {
    start(weft("bar", "httpbin"), weft("foo", "sleep"));

    assertThat(sleep.sleepCalls().identity(url("/headers"), SleepClient.MESH_FAILURE).value())
        .isEqualTo("spiffe://cluster.local/ns/foo/sa/sleep");
    assertThat(legacyCall().value()).isEqualTo(SleepClient.LEGACY_FAILURE);
  }

  @Test
  void withTheirOwnPolicyOffTheNamespacesDecide() throws Exception {
    start(MicronautSample.configurationOnly(weft("bar", "httpbin")),
        MicronautSample.configurationOnly(weft("foo", "sleep")));

    assertThat(sleep.sleepCalls().identity(url("/headers"), SleepClient.MESH_FAILURE).value())
        .isEqualTo("plaintext");
    assertThat(legacyCall().value()).isEqualTo("200");
  }

  private void start(Map<String, Object> httpbinWeft, Map<String, Object> sleepWeft)
      throws IOException, InterruptedException {
    Files.writeString(folder.resolve("mesh.yaml"), MESH);
    httpbin = MicronautSample.httpbin(new InetSocketAddress("127.0.0.1", 0), httpbinWeft);
    Files.writeString(folder.resolve("mesh.yaml"),
        MESH + HTTPBIN_ENDPOINT.formatted(httpbin.port()));
    sleep = MicronautSample.sleep(sleepWeft);
    sleep.mesh().orElseThrow().awaitOutboundRoute("httpbin.bar", 8000,
        Duration.ofSeconds(10));
  }

  private SleepClient.Result legacyCall() {
    try (SleepClient legacy = SleepClient.legacy(Map.of("httpbin.bar:8000",
        new InetSocketAddress("127.0.0.1", httpbin.port())))) {
      return legacy.call(url("/ip"));
    }
  }

  private Map<String, Object> weft(String namespace, String name) {
    Map<String, Object> weft = new HashMap<>(Map.of("weft.namespace", namespace,
        "weft.service-account", name, "weft.labels.app", name,
        "weft.config-dir", folder.toString(), "weft.startup-timeout", "10s"));
    if (name.equals("httpbin")) {
      weft.put("weft.container-port", 80);
    }
    return weft;
  }

  private static String url(String path) {
    return "http://httpbin.bar:8000" + path;
  }
}
