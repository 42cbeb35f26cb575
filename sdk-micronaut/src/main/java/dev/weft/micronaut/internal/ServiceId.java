package dev.weft.micronaut.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service ID that can name a mesh service: a host ({@code httpbin}, {@code httpbin.bar},
 * {@code httpbin.bar.svc.cluster.local}) and, optionally, the Service port; without one, port
 * 80, as {@code http://httpbin.bar} means with a sidecar.
 */
record ServiceId(String host, int port) {
  static final int DEFAULT_PORT = 80;
  private static final Pattern ID =
      Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)"
          + "(:(\\d{1,5}))?");

  /** The host and port {@code id} names; empty when it cannot name a mesh service. */
  static Optional<ServiceId> parse(String id) {
    Matcher matcher = ID.matcher(id);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int port = matcher.group(6) == null ? DEFAULT_PORT : Integer.parseInt(matcher.group(6));
    return port >= 1 && port <= 65535
        ? Optional.of(new ServiceId(matcher.group(1), port)) : Optional.empty();
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
