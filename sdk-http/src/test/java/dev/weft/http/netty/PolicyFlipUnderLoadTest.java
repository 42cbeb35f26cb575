package dev.weft.http.netty;

import static dev.weft.http.netty.TestMesh.HTTPBIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.tls.MeshTls;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PERMISSIVE to STRICT while two plaintext clients (HTTP/1.1 keep-alive) and one mTLS client
 * (HTTP/2) keep calling. Each request records the policy the mesh reported just before it was
 * sent and just after it ended; as the policy only moves PERMISSIVE to STRICT here, that tells
 * precisely which requests the policy allowed for their whole life.
 */
class PolicyFlipUnderLoadTest {
  private static final int WARM_UP_REQUESTS = 20;
  private static final int REQUESTS_AFTER_FLIP = 40;
  private static final int MAX_REQUESTS = 2000;
  private static final Duration LOAD_TIME_LIMIT = Duration.ofSeconds(20);

  @TempDir Path folder;
  private Mesh httpbin;
  private Mesh sleep;
  private TestServer server;
  private final List<OkHttpClient> clients = new ArrayList<>();
  private final ExecutorService callers = Executors.newFixedThreadPool(3);

  private record Outcome(String id, boolean mtls, MtlsMode before, boolean ok, String failure,
      MtlsMode after) {}

  @AfterEach
  void stop() throws InterruptedException {
    callers.shutdownNow();
    callers.awaitTermination(10, TimeUnit.SECONDS);
    for (OkHttpClient client : clients) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    server.close();
    httpbin.close();
    sleep.close();
  }

  @Test
  void flipToStrictRefusesEveryPlaintextRequestAfterItAndFailsNoneThePolicyAllowed()
      throws Exception {
    TestMesh mesh = new TestMesh(folder).mode(MtlsMode.PERMISSIVE);
    httpbin = mesh.startHttpbin();
    sleep = mesh.startSleep();
    server = new TestServer(httpbin, TestMesh.PORT);
    Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    CountDownLatch warmedUp = new CountDownLatch(3);

    List<Future<?>> loops = List.of(
        callers.submit(() -> callUntilDone("plain-a", plaintextClient(), "http", outcomes,
            warmedUp)),
        callers.submit(() -> callUntilDone("plain-b", plaintextClient(), "http", outcomes,
            warmedUp)),
        callers.submit(() -> callUntilDone("mtls", mtlsClient(), "https", outcomes, warmedUp)));
    assertThat(warmedUp.await(20, TimeUnit.SECONDS)).as("the clients warmed up").isTrue();
    mesh.mode(MtlsMode.STRICT);
    for (Future<?> loop : loops) {
      loop.get(30, TimeUnit.SECONDS);
    }

    List<Outcome> plaintext = outcomes.stream().filter(o -> !o.mtls()).toList();
    List<Outcome> mtls = outcomes.stream().filter(Outcome::mtls).toList();
    assertThat(plaintext).as("plaintext served before the flip")
        .anyMatch(o -> o.before() == MtlsMode.PERMISSIVE && o.ok());
    assertThat(plaintext).filteredOn(o -> o.before() == MtlsMode.STRICT)
        .as("plaintext sent once the mesh reported STRICT is never served")
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.ok()).as(o.toString()).isFalse());
    assertThat(outcomes).filteredOn(o -> !o.ok())
        .as("a request fails only if the policy no longer allowed it by the time it ended")
        .allSatisfy(o -> assertThat(o.after()).as(o.toString()).isEqualTo(MtlsMode.STRICT))
        .as("and never once the application had it: responses in flight are finished")
        .allSatisfy(o -> assertThat(server.app.received).as(o.toString()).doesNotContain(o.id()));
    assertThat(mtls).as("mTLS, allowed throughout, never fails")
        .anyMatch(o -> o.before() == MtlsMode.STRICT)
        .allSatisfy(o -> assertThat(o.ok()).as(o.toString()).isTrue());
  }

  /** Calls until REQUESTS_AFTER_FLIP were sent under STRICT, bounded by count and time. */
  private void callUntilDone(String name, OkHttpClient client, String scheme,
      Queue<Outcome> outcomes, CountDownLatch warmedUp) {
    Instant deadline = Instant.now().plus(LOAD_TIME_LIMIT);
    int sentUnderStrict = 0;
    for (int i = 0; i < MAX_REQUESTS && sentUnderStrict < REQUESTS_AFTER_FLIP
        && Instant.now().isBefore(deadline); i++) {
      String id = name + "-" + i;
      MtlsMode before = mode();
      if (before == MtlsMode.STRICT) {
        sentUnderStrict++;
      }
      String failure = null;
      Request request = new Request.Builder().url(server.url(scheme, "/"))
          .header("x-request-id", id).build();
      try (Response response = client.newCall(request).execute()) {
        String body = response.body().string();
        if (response.code() != 200 || !body.equals("ok\n")) {
          failure = response.code() + " " + body;
        }
      } catch (IOException e) {
        failure = e.toString();
      }
      outcomes.add(new Outcome(id, scheme.equals("https"), before, failure == null, failure,
          mode()));
      if (i == WARM_UP_REQUESTS) {
        warmedUp.countDown();
      }
    }
  }

  private MtlsMode mode() {
    return httpbin.inboundPolicy(TestMesh.PORT).map(InboundPolicy::mode).orElseThrow();
  }

  /** No retries: every failure is seen, none is hidden by a second attempt. */
  private OkHttpClient plaintextClient() {
    OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .callTimeout(Duration.ofSeconds(10)).build();
    clients.add(client);
    return client;
  }

  private OkHttpClient mtlsClient() {
    PeerAuthorizer onlyHttpbin = PeerAuthorizer.anyOf(Set.of(HTTPBIN));
    OkHttpClient client = new OkHttpClient.Builder()
        .sslSocketFactory(MeshTls.clientContext(sleep.certificates(), onlyHttpbin)
            .getSocketFactory(), MeshTrustManager.create(sleep.certificates(), onlyHttpbin))
        // The trust manager verified the server's SPIFFE ID; SVIDs name no host to check.
        .hostnameVerifier((host, session) -> true)
        .retryOnConnectionFailure(false)
        .callTimeout(Duration.ofSeconds(10)).build();
    clients.add(client);
    return client;
  }
}
