package dev.weft.cert.internal;

import java.util.Objects;

/** A network address written {@code host:port} or {@code [ipv6]:port}, as Istio's {@code CA_ADDR}. */
public record HostAndPort(String host, int port) {

  /** Parses {@code address}; the port is required. Throws {@link IllegalArgumentException}. */
  public static HostAndPort parse(String address) {
    Objects.requireNonNull(address, "address");
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "address \"" + address + "\" has no port; write host:port, for example "
              + "istiod.istio-system.svc:15012");
    }
    String host = address.substring(0, colon);
    String port = address.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "address \"" + address + "\": write an IPv6 address in brackets, as [::1]:15012");
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("address \"" + address + "\" has no valid host");
    }
    return new HostAndPort(host, parsePort(port, address));
  }

  /** {@code host:port}, with an IPv6 host in brackets, so that {@link #parse} reads it back. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int parsePort(String port, String address) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "address \"" + address + "\": the port \"" + port + "\" is not a number");
    }
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(
          "address \"" + address + "\": the port " + value + " is not between 1 and 65535");
    }
    return value;
  }
}
