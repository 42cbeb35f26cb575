package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts outside the mesh are OkHttp's as ever; mesh and other connections stay apart. */
class PassThroughTest {
  @TempDir Path dir;

  @Test
  void aHostOutsideTheMeshIsCalledAsOkHttpWouldOverOnePooledConnection() throws Exception {
    try (LocalMesh mesh = new LocalMesh(dir);
        MockWebServer outside = TestServers.answering("outside")) {
      mesh.write(service("httpbin", "bar"));
      OkHttpClient client = WeftOkHttp.newBuilder(mesh.client()).build();
      String url = "http://localhost:" + outside.getPort() + "/get";

      for (int i = 0; i < 2; i++) {
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
          assertThat(response.body().string()).isEqualTo("outside");
          assertThat(response.request().url()).hasToString(url);
        }
      }

      RecordedRequest first = outside.takeRequest(5, TimeUnit.SECONDS);
      RecordedRequest second = outside.takeRequest(5, TimeUnit.SECONDS);
      assertThat(first.getHeaders().get("Host")).isEqualTo("localhost:" + outside.getPort());
      assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
      assertThat(second.getExchangeIndex()).isEqualTo(1);
      assertThat(client.connectionPool().connectionCount()).isOne();
    }
  }

  @Test
  void asANetworkInterceptorItRefusesToRunSinceTheConnectionIsChosenAlready() throws Exception {
    try (LocalMesh mesh = new LocalMesh(dir);
        MockWebServer server = TestServers.answering("server")) {
      OkHttpClient client = new OkHttpClient.Builder()
          .addNetworkInterceptor(WeftOkHttp.interceptor(mesh.client())).build();

      assertThatThrownBy(() -> client.newCall(new Request.Builder()
          .url("http://localhost:" + server.getPort() + "/").build()).execute())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("addInterceptor");
    }
  }

  @Test
  void aMeshRouteAndAnOutsideHostNeverShareAConnectionToTheSameServer() throws Exception {
    try (LocalMesh mesh = new LocalMesh(dir);
        MockWebServer server = TestServers.answering("server")) {
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", server.getPort(), false));
      OkHttpClient client = WeftOkHttp.newBuilder(mesh.client()).build();

      for (String url : new String[] {"http://httpbin.bar:8000/get",
          "http://127.0.0.1:" + server.getPort() + "/get", "http://httpbin.bar:8000/get"}) {
        client.newCall(new Request.Builder().url(url).build()).execute().close();
      }

      RecordedRequest mesh1 = server.takeRequest(5, TimeUnit.SECONDS);
      RecordedRequest outside = server.takeRequest(5, TimeUnit.SECONDS);
      RecordedRequest mesh2 = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(outside.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + server.getPort());
      assertThat(outside.getConnectionIndex()).isNotEqualTo(mesh1.getConnectionIndex());
      assertThat(mesh2.getConnectionIndex()).isEqualTo(mesh1.getConnectionIndex());
      assertThat(client.connectionPool().connectionCount()).isEqualTo(2);
    }
  }
}
