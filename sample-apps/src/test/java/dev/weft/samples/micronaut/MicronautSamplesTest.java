package dev.weft.samples.micronaut;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.namespacePeerAuthentication;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.sleep.SleepClient;
import dev.weft.testing.MeshYaml;
import java.net.InetSocketAddress;
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
      throws InterruptedException {
    MeshYaml.write(folder, configuration());
    httpbin = MicronautSample.httpbin(new InetSocketAddress("127.0.0.1", 0), httpbinWeft);
    MeshYaml.write(folder, configuration(),
        workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.port(), true));
    sleep = MicronautSample.sleep(sleepWeft);
    sleep.mesh().orElseThrow().awaitOutboundRoute("httpbin.bar", 8000,
        Duration.ofSeconds(10));
  }

  /** httpbin.bar's Service; DISABLE in bar, and a DestinationRule of foo's saying plaintext. */
  private static String configuration() {
    return String.join("---\n", service("httpbin", "bar"),
        namespacePeerAuthentication("bar", "DISABLE"),
        destinationRule("httpbin", "foo", "httpbin.bar.svc.cluster.local",
            "{tls: {mode: DISABLE}}"));
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
