package dev.weft.http.okhttp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.Dns;

/**
 * Resolves the host of a request to a mesh route to the address of the upstream picked for
 * it, and any other host (a redirect's) as the application's {@code Dns} does. The addresses
 * carry the name looked up, so the socket tells the route's target from a redirect's. OkHttp
 * pools connections by, among others, this {@code Dns}: being equal exactly for the same host
 * and upstream, it keeps the connections of each upstream apart and reuses them across requests.
 */
record UpstreamDns(String host, Upstream upstream, Dns fallback) implements Dns {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = new ArrayList<>();
    for (InetAddress address : hostname.equals(host) ? resolve(upstream.address())
        : fallback.lookup(hostname)) {
      addresses.add(InetAddress.getByAddress(hostname, address.getAddress()));
    }
    return addresses;
  }

  /** An IP address as it is (no lookup), a name (a WorkloadEntry may have one) by the fallback. */
  private List<InetAddress> resolve(String address) throws UnknownHostException {
    boolean ip = address.indexOf(':') >= 0 || IPV4.matcher(address).matches();
    return ip ? List.of(InetAddress.getByName(address)) : fallback.lookup(address);
  }
}
