package dev.weft.policy.internal;

import dev.weft.policy.Service;

/** DestinationRule host names: resolving short names and matching wildcards, as Istio does. */
public final class Hosts {
  private Hosts() {}

  /**
   * The FQDN a rule's host names: a bare name ({@code reviews}) is relative to the rule's
   * namespace; anything with a dot, and wildcards, stay as written.
   */
  public static String resolve(String host, String namespace) {
    if (host.equals("*") || host.indexOf('.') >= 0) {
      return host;
    }
    return host + "." + namespace + "." + Service.DOMAIN_SUFFIX;
  }

  /**
   * The FQDN a client in {@code namespace} means by {@code host}, as Kubernetes DNS search
   * paths expand it: {@code httpbin}, {@code httpbin.bar}, {@code httpbin.bar.svc}.
   */
  public static String qualify(String host, String namespace) {
    if (host.endsWith("." + Service.DOMAIN_SUFFIX)) {
      return host;
    }
    if (host.endsWith(".svc")) {
      return host + ".cluster.local";
    }
    long dots = host.chars().filter(c -> c == '.').count();
    if (dots == 0) {
      return host + "." + namespace + "." + Service.DOMAIN_SUFFIX;
    }
    if (dots == 1) {
      return host + "." + Service.DOMAIN_SUFFIX;
    }
    return host;
  }

  /** Whether {@code pattern} (an FQDN or {@code *.suffix} or {@code *}) matches {@code host}. */
  public static boolean matches(String pattern, String host) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      return host.endsWith(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  /** How specific a pattern is: an exact host beats any wildcard; longer wildcards beat shorter. */
  public static int specificity(String pattern) {
    return pattern.startsWith("*") ? pattern.length() : Integer.MAX_VALUE;
  }
}
