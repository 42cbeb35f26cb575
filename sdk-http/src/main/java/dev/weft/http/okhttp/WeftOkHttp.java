package dev.weft.http.okhttp;

import dev.weft.http.okhttp.internal.MeshInterceptor;
import dev.weft.mesh.Mesh;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * OkHttp clients that call mesh services as a sidecar would: the application keeps calling
 * {@code http://httpbin.bar:8000/...}, and Weft picks an endpoint of the service for each
 * request and speaks to it with the TLS the mesh's policy decides.
 *
 * <p>How: an application interceptor looks the request's {@code host:port} up in the
 * {@link Mesh} (waiting a bounded time the first time, after that without waiting, so each
 * request sees the current policy). A host without a route passes through untouched. For a
 * mesh route it picks the endpoint by the DestinationRule's {@code loadBalancer}, counting the
 * requests in flight to each endpoint until their response body closes, and proceeds with a
 * {@code Dns} that resolves the host to that endpoint and a socket factory whose sockets
 * connect to the endpoint's port and complete its TLS (mesh mTLS verified by SPIFFE ID, or the
 * DestinationRule's SIMPLE/MUTUAL) before OkHttp writes a byte; OkHttp sees a plaintext
 * connection. The URL is never rewritten: the server sees the application's {@code Host},
 * {@code response.request()}, cookies, cache keys and redirects keep the application's URL,
 * and a relative redirect stays on the same endpoint. OkHttp pools connections by that
 * {@code Dns}, which is equal exactly for the same host and endpoint with the same TLS, so
 * connections are reused per endpoint and policy and never across a policy change. A failure
 * before a response throws {@link dev.weft.http.MeshRequestException}, and TLS that was decided
 * never falls back to plaintext. An {@code https} URL is the application's own TLS, carried
 * inside the mesh's as a sidecar would. A redirect to another mesh route is not followed inside
 * the request: each request to a mesh service takes its own route.
 */
public final class WeftOkHttp {
  /** How long the first request to a {@code host:port} waits for the mesh's answer, by default. */
  public static final Duration DEFAULT_ROUTE_WAIT = Duration.ofSeconds(2);

  private WeftOkHttp() {}

  /** A client builder whose requests go through {@code mesh}. */
  public static OkHttpClient.Builder newBuilder(Mesh mesh) {
    return new OkHttpClient.Builder().addInterceptor(interceptor(mesh));
  }

  /** The application interceptor that routes requests through {@code mesh}; add it last. */
  public static Interceptor interceptor(Mesh mesh) {
    return interceptor(mesh, DEFAULT_ROUTE_WAIT);
  }

  /**
   * Like {@link #interceptor(Mesh)}, waiting up to {@code firstRouteWait} for the route of a
   * {@code host:port} not asked before (against istiod, a host outside the mesh takes it all).
   */
  public static Interceptor interceptor(Mesh mesh, Duration firstRouteWait) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(firstRouteWait, "firstRouteWait");
    if (firstRouteWait.isNegative()) {
      throw new IllegalArgumentException("firstRouteWait is negative: " + firstRouteWait);
    }
    return new MeshInterceptor(mesh, firstRouteWait);
  }
}
