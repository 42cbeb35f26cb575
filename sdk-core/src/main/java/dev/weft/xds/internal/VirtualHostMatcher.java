package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Chooses the virtual host for a host and port as Envoy and grpc-java do: an exact domain
 * ({@code host:port}, then {@code host}), then the longest suffix wildcard ({@code *.bar}), then
 * the longest prefix wildcard ({@code httpbin.*}), then {@code *}; the first virtual host wins
 * a tie. Domains compare without regard to case, and a wildcard matches at least one character.
 */
final class VirtualHostMatcher {
  private static final int EXACT_WITH_PORT = 4;
  private static final int EXACT = 3;
  private static final int SUFFIX = 2;
  private static final int PREFIX = 1;
  private static final int ANY = 0;

  private VirtualHostMatcher() {}

  /** How well one domain matches: by kind, then by length. */
  private record Rank(int kind, int length) implements Comparable<Rank> {
    @Override
    public int compareTo(Rank other) {
      return kind != other.kind ? Integer.compare(kind, other.kind)
          : Integer.compare(length, other.length);
    }
  }

  /** The index of the virtual host for {@code host:port}; empty when none matches. */
  static OptionalInt select(List<VirtualHost> virtualHosts, String host, int port) {
    String bare = host.toLowerCase(Locale.ROOT);
    String withPort = bare + ":" + port;
    Rank best = null;
    int chosen = -1;
    for (int i = 0; i < virtualHosts.size(); i++) {
      for (String domain : virtualHosts.get(i).getDomainsList()) {
        Rank rank = rank(domain.toLowerCase(Locale.ROOT), bare, withPort);
        if (rank != null && (best == null || rank.compareTo(best) > 0)) {
          best = rank;
          chosen = i;
        }
      }
    }
    return chosen < 0 ? OptionalInt.empty() : OptionalInt.of(chosen);
  }

  private static Rank rank(String domain, String bare, String withPort) {
    if (domain.equals(withPort)) {
      return new Rank(EXACT_WITH_PORT, domain.length());
    }
    if (domain.equals(bare)) {
      return new Rank(EXACT, domain.length());
    }
    if (domain.equals("*")) {
      return new Rank(ANY, 1);
    }
    if (domain.startsWith("*")) {
      String suffix = domain.substring(1);
      return matches(bare, withPort, n -> n.endsWith(suffix), suffix.length())
          ? new Rank(SUFFIX, domain.length()) : null;
    }
    if (domain.endsWith("*")) {
      String prefix = domain.substring(0, domain.length() - 1);
      return matches(bare, withPort, n -> n.startsWith(prefix), prefix.length())
          ? new Rank(PREFIX, domain.length()) : null;
    }
    return null;
  }

  /** Whether either spelling passes {@code test} with a character left for the wildcard. */
  private static boolean matches(
      String bare, String withPort, Predicate<String> test, int fixed) {
    return (bare.length() > fixed && test.test(bare))
        || (withPort.length() > fixed && test.test(withPort));
  }
}
