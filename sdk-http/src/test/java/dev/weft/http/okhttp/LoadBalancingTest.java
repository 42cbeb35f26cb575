package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each request picks its endpoint as the DestinationRule's loadBalancer says. */
class LoadBalancingTest {
  private static final String URL = "http://httpbin.bar:8000/get";

  @TempDir Path dir;
  private LocalMesh mesh;
  private MockWebServer one;
  private MockWebServer two;
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    mesh = new LocalMesh(dir);
    one = TestServers.answering("one");
    two = TestServers.answering("two");
  }

  @AfterEach
  void tearDown() {
    one.close();
    two.close();
    mesh.close();
  }

  @Test
  void roundRobinAlternatesEndpointsPerRequestOverPooledConnections() throws Exception {
    balanceBy("ROUND_ROBIN");

    List<String> answers = callTimes(6);

    for (int i = 1; i < answers.size(); i++) {
      assertThat(answers.get(i)).isNotEqualTo(answers.get(i - 1));
    }
    for (MockWebServer server : List.of(one, two)) {
      assertThat(server.getRequestCount()).isEqualTo(3);
      for (int exchange = 0; exchange < 3; exchange++) {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getConnectionIndex()).isZero();
        assertThat(request.getExchangeIndex()).isEqualTo(exchange);
      }
    }
  }

  @Test
  void leastRequestPrefersTheEndpointWithoutARequestInFlight() throws Exception {
    balanceBy("LEAST_REQUEST");
    Response open = call();
    String busy = open.peekBody(16).string();

    List<String> answers;
    try (open) {
      answers = callTimes(5);
    }

    assertThat(answers).hasSize(5).allSatisfy(answer -> assertThat(answer).isNotEqualTo(busy));
  }

  @Test
  void randomIsNeitherOneEndpointNorATakeOfTurns() throws Exception {
    balanceBy("RANDOM");

    List<String> answers = callTimes(40);

    assertThat(answers).contains("one", "two");
    boolean repeated = false;
    for (int i = 1; i < answers.size(); i++) {
      repeated |= answers.get(i).equals(answers.get(i - 1));
    }
    assertThat(repeated).as("some endpoint answered twice in a row: %s", answers).isTrue();
  }

  private void balanceBy(String loadBalancer) throws IOException {
    mesh.write(service("httpbin", "bar"),
        workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", one.getPort(), false),
        workloadEntry("httpbin-2", "bar", "httpbin", "httpbin", two.getPort(), false),
        destinationRule("httpbin", "bar", "httpbin.bar.svc.cluster.local",
            "{loadBalancer: {simple: " + loadBalancer + "}}"));
    client = WeftOkHttp.newBuilder(mesh.client()).build();
  }

  private List<String> callTimes(int times) throws IOException {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      try (Response response = call()) {
        answers.add(response.body().string());
      }
    }
    return answers;
  }

  private Response call() throws IOException {
    return client.newCall(new Request.Builder().url(URL).build()).execute();
  }
}
