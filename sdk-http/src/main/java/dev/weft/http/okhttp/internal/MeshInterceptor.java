package dev.weft.http.okhttp.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.OutboundRoute.Endpoint;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to a mesh route to an endpoint picked for it, with that endpoint's TLS,
 * by giving the rest of the call the endpoint's {@code Dns} and socket factory; requests to
 * other hosts go on untouched. See {@code WeftOkHttp} for the design.
 */
public final class MeshInterceptor implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(MeshInterceptor.class);
  private static final Runnable NOT_COUNTED = () -> { };

  private final RouteLookup routes;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final EndpointBalancer balancer = new EndpointBalancer(inFlight);
  private final UpstreamSockets sockets;

  /** Routes through {@code mesh}, waiting up to {@code firstRouteWait} for a new host's route. */
  public MeshInterceptor(Mesh mesh, Duration firstRouteWait) {
    this.routes = new RouteLookup(mesh, firstRouteWait);
    this.sockets = new UpstreamSockets(routes, new TlsOriginator(mesh::certificates));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.connection() != null) {
      throw new IllegalStateException("Weft's OkHttp interceptor picks the connection, so it is"
          + " an application interceptor: add it with addInterceptor, not addNetworkInterceptor");
    }
    Request request = chain.request();
    HttpUrl url = request.url();
    Optional<OutboundRoute> found = routes.find(url.host(), url.port());
    if (found.isEmpty()) {
      return chain.proceed(request);
    }
    OutboundRoute route = found.get();
    Endpoint endpoint = balancer.pick(route).orElseThrow(() -> MeshFailures.noEndpoint(route));
    Upstream upstream = Upstream.of(endpoint);
    if (log.isDebugEnabled()) {
      log.debug("{} {}:{} to {} ({})", request.method(), route.host(), route.port(),
          upstream.authority(), upstream.tls().getClass().getSimpleName());
    }
    Runnable release = balancer.countsInFlight(route) ? inFlight.start(endpoint) : NOT_COUNTED;
    Response response;
    try {
      Chain direct = Proxy.NO_PROXY.equals(chain.getProxy()) ? chain
          : chain.withProxy(Proxy.NO_PROXY);
      response = direct.withDns(new UpstreamDns(route.host(), upstream, chain.getDns()))
          .withSocketFactory(sockets.forRoute(route, upstream))
          .proceed(request);
    } catch (IOException e) {
      release.run();
      if (chain.call().isCanceled()) {
        throw e;
      }
      throw MeshFailures.describe(route, endpoint, e);
    } catch (RuntimeException | Error e) {
      release.run();
      throw e;
    }
    if (release == NOT_COUNTED) {
      return response;
    }
    return response.newBuilder().body(new ReleasingResponseBody(response.body(), release)).build();
  }
}
