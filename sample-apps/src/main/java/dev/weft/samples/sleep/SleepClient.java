package dev.weft.samples.sleep;

import dev.weft.http.MeshRequestException;
import dev.weft.http.okhttp.WeftOkHttp;
import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sleep} sample: calls a URL and reports the result as Istio's scenario matrix
 * does. A response reports its status ({@code 200}); a request that failed before any
 * response reports {@code 503} from a mesh client, as its sidecar would answer, and
 * {@code 000} from a legacy client, as curl prints. The mesh variant uses Weft; the legacy
 * variant is plain OkHttp.
 */
public final class SleepClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SleepClient.class);
  /** What a sidecar answers when its upstream failed before a response. */
  public static final String MESH_FAILURE = "503";
  /** What curl prints when the connection failed. */
  public static final String LEGACY_FAILURE = "000";

  private final OkHttpClient client;
  private final String failure;

  private SleepClient(OkHttpClient client, String failure) {
    this.client = client;
    this.failure = failure;
  }

  /** A mesh client: calls go through {@code mesh}, with its TLS and load balancing. */
  public static SleepClient withWeft(Mesh mesh) {
    return new SleepClient(WeftOkHttp.newBuilder(Objects.requireNonNull(mesh, "mesh")).build(),
        MESH_FAILURE);
  }

  /**
   * A client without the mesh. As kube-proxy would, a call to a {@code host:port} of
   * {@code targets} goes to the address it maps to, still saying {@code Host: host:port}.
   */
  public static SleepClient legacy(Map<String, InetSocketAddress> targets) {
    return new SleepClient(new OkHttpClient.Builder()
        .addInterceptor(new TargetAddresses(targets)).build(), LEGACY_FAILURE);
  }

  /**
   * What one call came to: the status, identity or failure code a matrix line shows and, when
   * no response arrived, the client's error, which names the policy behind it.
   */
  public record Result(String value, Optional<String> failure) {
    public Result {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(failure, "failure");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /** Calls {@code url}: its status, or {@code 503} (mesh) / {@code 000} (legacy) on failure. */
  public Result call(String url) {
    try (Response response = client.newCall(get(HttpUrl.get(url))).execute()) {
      return new Result(String.valueOf(response.code()), Optional.empty());
    } catch (IOException e) {
      return failed(url, e);
    }
  }

  /**
   * Calls the {@code /headers} of the httpbin at {@code url} and returns the SPIFFE ID the
   * server saw this client as, or {@code plaintext} when it saw none; a status other than 200,
   * or a failure, is reported as {@link #call} does.
   *
   * @throws IllegalArgumentException when the answer is not httpbin's JSON of headers
   */
  public Result identity(String url) {
    try (Response response =
        client.newCall(get(HttpUrl.get(url).resolve("/headers"))).execute()) {
      if (response.code() != 200) {
        return new Result(String.valueOf(response.code()), Optional.empty());
      }
      return new Result(ForwardedClientCert.seenIdentity(response.body().string())
          .orElse("plaintext"), Optional.empty());
    } catch (IOException e) {
      return failed(url, e);
    }
  }

  private Result failed(String url, IOException e) {
    String why = e instanceof MeshRequestException ? e.getMessage() : e.toString();
    log.warn("{}: {}", url, why);
    return new Result(failure, Optional.of(why));
  }

  private static Request get(HttpUrl url) {
    return new Request.Builder().url(url).build();
  }

  /** Ends the client's idle connections and threads. */
  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
