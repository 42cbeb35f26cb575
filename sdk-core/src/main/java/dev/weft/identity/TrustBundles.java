package dev.weft.identity;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The root certificates trusted for each trust domain. A peer is verified only against the bundle
 * of its own trust domain: bundles are kept apart, never merged into one pool, so one domain's CA
 * can never vouch for another domain's identities. An empty bundle trusts nothing.
 */
public final class TrustBundles {
  private static final TrustBundles EMPTY = new TrustBundles(Map.of());

  private final Map<TrustDomain, List<X509Certificate>> bundles;

  private TrustBundles(Map<TrustDomain, List<X509Certificate>> bundles) {
    this.bundles = bundles;
  }

  /** No trust domain is trusted. */
  public static TrustBundles empty() {
    return EMPTY;
  }

  /** One trust domain and its roots. */
  public static TrustBundles of(TrustDomain trustDomain, Collection<X509Certificate> roots) {
    return EMPTY.with(trustDomain, roots);
  }

  /** Several trust domains, each with its own roots. */
  public static TrustBundles of(Map<TrustDomain, ? extends Collection<X509Certificate>> bundles) {
    TrustBundles result = EMPTY;
    for (Map.Entry<TrustDomain, ? extends Collection<X509Certificate>> e : bundles.entrySet()) {
      result = result.with(e.getKey(), e.getValue());
    }
    return result;
  }

  /** A copy in which {@code trustDomain}'s bundle is replaced by {@code roots}. */
  public TrustBundles with(TrustDomain trustDomain, Collection<X509Certificate> roots) {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(roots, "roots");
    Map<TrustDomain, List<X509Certificate>> copy = new TreeMap<>(bundles);
    copy.put(trustDomain, List.copyOf(roots));
    return new TrustBundles(java.util.Collections.unmodifiableMap(copy));
  }

  /** The roots of {@code trustDomain}, or empty when that domain is not trusted at all. */
  public Optional<List<X509Certificate>> bundle(TrustDomain trustDomain) {
    return Optional.ofNullable(bundles.get(Objects.requireNonNull(trustDomain, "trustDomain")));
  }

  /** The trust domains that have a bundle. */
  public Set<TrustDomain> trustDomains() {
    return bundles.keySet();
  }

  /** Every root of every trust domain, for a TLS server's list of acceptable issuers. */
  public List<X509Certificate> allRoots() {
    List<X509Certificate> all = new ArrayList<>();
    bundles.values().forEach(all::addAll);
    return List.copyOf(all);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustBundles other && bundles.equals(other.bundles);
  }

  @Override
  public int hashCode() {
    return bundles.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("TrustBundles{");
    String separator = "";
    for (Map.Entry<TrustDomain, List<X509Certificate>> e : bundles.entrySet()) {
      out.append(separator).append(e.getKey()).append(": ").append(e.getValue().size())
          .append(e.getValue().size() == 1 ? " root" : " roots");
      separator = ", ";
    }
    return out.append('}').toString();
  }
}
