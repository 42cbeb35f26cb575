package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edit of the mesh's policy applies to the next request, pooled connections or not. */
class PolicyChangeTest {
  private static final Request GET = new Request.Builder().url("http://httpbin.bar:8000/get").build();

  @TempDir Path dir;

  @Test
  void aDestinationRuleEditChangesTheTlsOfTheNextRequest() throws Exception {
    try (LocalMesh mesh = new LocalMesh(dir);
        MockWebServer httpbin = TestServers.meshMtls(mesh.workload("bar", "httpbin"))) {
      String service = service("httpbin", "bar");
      String endpoint = workloadEntry("httpbin-1", "bar", "httpbin", "httpbin",
          httpbin.getPort(), true);
      mesh.write(service, endpoint);
      Mesh sleep = mesh.client();
      OkHttpClient client = WeftOkHttp.newBuilder(sleep).build();
      httpbin.enqueue(new MockResponse.Builder().build());
      httpbin.enqueue(new MockResponse.Builder().build());
      try (Response response = client.newCall(GET).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }

      mesh.write(service, endpoint, destinationRule("httpbin", "bar",
          "httpbin.bar.svc.cluster.local", "{tls: {mode: DISABLE}}"));
      awaitTls(sleep, UpstreamTls.Plaintext.class);

      assertThatThrownBy(() -> client.newCall(GET).execute())
          .isInstanceOfSatisfying(MeshRequestException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.NOT_HTTP))
          .hasMessageContaining("did not answer in HTTP")
          .hasMessageEndingWith("DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE");

      mesh.write(service, endpoint);
      awaitTls(sleep, UpstreamTls.MeshMtls.class);

      try (Response response = client.newCall(GET).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
  }

  private static void awaitTls(Mesh sleep, Class<? extends UpstreamTls> tls) {
    await().atMost(LocalMesh.WAIT).until(() -> sleep.outboundRoute("httpbin.bar", 8000)
        .map(route -> tls.isInstance(route.endpoints().get(0).tls())).orElse(false));
  }
}
