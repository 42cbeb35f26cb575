package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redirects keep the application's URLs, and never leave a mesh request for another route. */
class RedirectTest {
  @TempDir Path dir;
  private LocalMesh mesh;
  private MockWebServer httpbin;
  private MockWebServer outside;
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    mesh = new LocalMesh(dir);
    outside = TestServers.answering("outside");
    httpbin = new MockWebServer();
    httpbin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String location = request.getUrl().queryParameter("to");
        return location == null ? new MockResponse.Builder().body("httpbin").build()
            : new MockResponse.Builder().code(302).addHeader("Location", location).build();
      }
    });
    httpbin.start(0);
    mesh.write(service("httpbin", "bar"), service("other", "bar"),
        workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), false));
    // As cluster DNS would, which resolves a Service's name to its cluster IP.
    Dns clusterDns = host -> host.equals("other.bar")
        ? List.of(InetAddress.getLoopbackAddress()) : Dns.SYSTEM.lookup(host);
    client = WeftOkHttp.newBuilder(mesh.client()).dns(clusterDns).build();
  }

  @AfterEach
  void tearDown() {
    httpbin.close();
    outside.close();
    mesh.close();
  }

  @Test
  void aRelativeRedirectIsFollowedToTheSameEndpointWithTheApplicationsUrls() throws Exception {
    try (Response response = get("http://httpbin.bar:8000/redirect?to=/get")) {
      assertThat(response.body().string()).isEqualTo("httpbin");
      assertThat(response.request().url()).hasToString("http://httpbin.bar:8000/get");
      assertThat(response.priorResponse().request().url())
          .hasToString("http://httpbin.bar:8000/redirect?to=/get");
    }

    RecordedRequest redirected = httpbin.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest followed = httpbin.takeRequest(5, TimeUnit.SECONDS);
    assertThat(followed.getHeaders().get("Host")).isEqualTo("httpbin.bar:8000");
    assertThat(followed.getConnectionIndex()).isEqualTo(redirected.getConnectionIndex());
  }

  @Test
  void aRedirectToAHostOutsideTheMeshIsFollowedAsOkHttpWould() throws Exception {
    String target = "http://localhost:" + outside.getPort() + "/get";

    try (Response response = get("http://httpbin.bar:8000/redirect?to=" + target)) {
      assertThat(response.body().string()).isEqualTo("outside");
      assertThat(response.request().url()).hasToString(target);
    }
  }

  @Test
  void aRedirectToAnotherMeshServiceIsNotFollowedInsideTheRequestThoughDnsKnowsIt() {
    assertThatThrownBy(() -> get("http://httpbin.bar:8000/redirect?to=http://other.bar:8000/get"))
        .isInstanceOfSatisfying(MeshRequestException.class, e -> {
          assertThat(e.failure()).isEqualTo(Failure.REDIRECT_NOT_FOLLOWED);
          assertThat(e.host()).isEqualTo("other.bar");
        })
        .hasMessageStartingWith("httpbin.bar:8000 redirected the request to other.bar:8000");
  }

  @Test
  void aRedirectToAnUnknownHostSaysWhichHost() {
    assertThatThrownBy(() -> get("http://httpbin.bar:8000/redirect?to=http://nowhere.invalid/"))
        .isInstanceOfSatisfying(MeshRequestException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.OTHER))
        .hasMessageContaining("failed before a response")
        .hasMessageContaining("nowhere.invalid");
  }

  private Response get(String url) throws IOException {
    return client.newCall(new Request.Builder().url(url).build()).execute();
  }
}
