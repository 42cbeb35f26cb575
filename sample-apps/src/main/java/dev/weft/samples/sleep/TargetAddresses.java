package dev.weft.samples.sleep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends a request for a {@code host:port} to the address it is mapped to, keeping the
 * {@code Host} header the application's, as kube-proxy does for a Service's cluster IP.
 */
final class TargetAddresses implements Interceptor {
  private final Map<String, InetSocketAddress> targets;

  /** {@code targets} maps {@code host:port} to the address to connect to. */
  TargetAddresses(Map<String, InetSocketAddress> targets) {
    this.targets = Map.copyOf(targets);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    String authority = url.host() + ":" + url.port();
    InetSocketAddress target = targets.get(authority);
    if (target == null) {
      return chain.proceed(request);
    }
    return chain.proceed(request.newBuilder()
        .url(url.newBuilder().host(target.getHostString()).port(target.getPort()).build())
        .header("Host", authority)
        .build());
  }
}
