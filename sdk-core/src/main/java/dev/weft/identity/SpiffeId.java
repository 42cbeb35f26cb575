package dev.weft.identity;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A SPIFFE ID such as {@code spiffe://cluster.local/ns/default/sa/web}, parsed and validated per
 * the SPIFFE ID specification. The scheme is case-insensitive and normalised to lowercase; the
 * path is case-sensitive.
 */
public final class SpiffeId implements Comparable<SpiffeId> {
  static final String SCHEME_PREFIX = "spiffe://";
  static final int MAX_LENGTH = 2048;

  private final TrustDomain trustDomain;
  private final String path;
  private final String string;

  private SpiffeId(TrustDomain trustDomain, String path) {
    this.trustDomain = trustDomain;
    this.path = path;
    this.string = SCHEME_PREFIX + trustDomain.name() + path;
  }

  /** Parses a SPIFFE ID; throws {@link InvalidSpiffeIdException} naming what is wrong. */
  public static SpiffeId parse(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new InvalidSpiffeIdException(id, "it is empty");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
      throw new InvalidSpiffeIdException(id, "it is longer than " + MAX_LENGTH + " bytes");
    }
    if (!id.regionMatches(true, 0, SCHEME_PREFIX, 0, SCHEME_PREFIX.length())) {
      int colon = id.indexOf(':');
      String reason = colon > 0
          ? "the scheme is \"" + id.substring(0, colon) + "\", not \"spiffe\""
          : "it does not start with \"spiffe://\"";
      throw new InvalidSpiffeIdException(id, reason);
    }
    String rest = id.substring(SCHEME_PREFIX.length());
    if (rest.indexOf('?') >= 0) {
      throw new InvalidSpiffeIdException(id, "it must not have a query");
    }
    if (rest.indexOf('#') >= 0) {
      throw new InvalidSpiffeIdException(id, "it must not have a fragment");
    }
    int slash = rest.indexOf('/');
    String domain = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    TrustDomain trustDomain = TrustDomain.ofChecked(TrustDomain.checkName(domain, id, "SPIFFE ID"));
    checkPath(path, id);
    return new SpiffeId(trustDomain, path);
  }

  /** Builds an ID from a trust domain and path segments, each validated as in {@link #parse}. */
  public static SpiffeId of(TrustDomain trustDomain, String... segments) {
    Objects.requireNonNull(trustDomain, "trustDomain");
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      if (Objects.requireNonNull(segment, "segment").indexOf('/') >= 0) {
        throw new InvalidSpiffeIdException(segment, "a path segment must not contain '/'");
      }
      path.append('/').append(segment);
    }
    return parse(SCHEME_PREFIX + trustDomain.name() + path);
  }

  /** Istio's workload identity {@code spiffe://<td>/ns/<namespace>/sa/<serviceAccount>}. */
  public static SpiffeId forServiceAccount(
      TrustDomain trustDomain, String namespace, String serviceAccount) {
    return of(trustDomain, "ns", namespace, "sa", serviceAccount);
  }

  private static void checkPath(String path, String input) {
    if (path.isEmpty()) {
      return;
    }
    if (path.equals("/")) {
      throw new InvalidSpiffeIdException(input, "the path is \"/\"; leave it out or name a segment");
    }
    if (path.endsWith("/")) {
      throw new InvalidSpiffeIdException(input, "the path must not end with '/'");
    }
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      if (segment.isEmpty()) {
        throw new InvalidSpiffeIdException(input, "the path has an empty segment (\"//\")");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidSpiffeIdException(
            input, "the path has a \"" + segment + "\" segment; relative segments are not allowed");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c == '%') {
          throw new InvalidSpiffeIdException(input, "the path must not be percent-encoded");
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '-' || c == '_')) {
          throw new InvalidSpiffeIdException(
              input,
              "the path has the character '" + c
                  + "'; only letters, digits, '.', '-' and '_' are allowed");
        }
      }
      start = end + 1;
    }
  }

  /** The trust domain, for example {@code cluster.local}. */
  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** The path, for example {@code /ns/default/sa/web}; empty for a trust domain's own ID. */
  public String path() {
    return path;
  }

  /** The namespace of an Istio workload ID ({@code /ns/<ns>/sa/<sa>}); empty for other shapes. */
  public Optional<String> namespace() {
    String[] parts = istioParts();
    return parts == null ? Optional.empty() : Optional.of(parts[2]);
  }

  /** The service account of an Istio workload ID; empty for other shapes. */
  public Optional<String> serviceAccount() {
    String[] parts = istioParts();
    return parts == null ? Optional.empty() : Optional.of(parts[4]);
  }

  private String[] istioParts() {
    String[] parts = path.split("/", -1);
    if (parts.length == 5 && parts[1].equals("ns") && parts[3].equals("sa")) {
      return parts;
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiffeId other && string.equals(other.string);
  }

  @Override
  public int hashCode() {
    return string.hashCode();
  }

  @Override
  public int compareTo(SpiffeId other) {
    return string.compareTo(other.string);
  }

  /** The ID as a URI string, {@code spiffe://<trust domain><path>}. */
  @Override
  public String toString() {
    return string;
  }
}
