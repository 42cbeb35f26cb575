package dev.weft.identity;

import java.util.Objects;

/**
 * A SPIFFE trust domain name, such as {@code cluster.local}: lowercase letters, digits, dots,
 * dashes and underscores, at most 255 bytes.
 */
public final class TrustDomain implements Comparable<TrustDomain> {
  static final int MAX_LENGTH = 255;

  private final String name;

  private TrustDomain(String name) {
    this.name = name;
  }

  /**
   * Parses a trust domain name ({@code cluster.local}) or a SPIFFE ID whose trust domain is
   * wanted ({@code spiffe://cluster.local/ns/default/sa/web}).
   */
  public static TrustDomain parse(String nameOrId) {
    Objects.requireNonNull(nameOrId, "nameOrId");
    if (nameOrId.regionMatches(true, 0, SpiffeId.SCHEME_PREFIX, 0, SpiffeId.SCHEME_PREFIX.length())) {
      return SpiffeId.parse(nameOrId).trustDomain();
    }
    return new TrustDomain(checkName(nameOrId, nameOrId, "trust domain"));
  }

  /**
   * Validates a trust domain name found inside {@code input}, which is a {@code what} (a SPIFFE
   * ID or a trust domain); returns it unchanged.
   */
  static String checkName(String name, String input, String what) {
    if (name.isEmpty()) {
      throw new InvalidSpiffeIdException(what, input, "the trust domain is empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new InvalidSpiffeIdException(
          what, input, "the trust domain is longer than " + MAX_LENGTH + " bytes");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ':') {
        throw new InvalidSpiffeIdException(what, input, "the trust domain must not have a port");
      }
      if (c == '@') {
        throw new InvalidSpiffeIdException(
            what, input, "the trust domain must not have user info");
      }
      if (c == '%') {
        throw new InvalidSpiffeIdException(
            what, input, "the trust domain must not be percent-encoded");
      }
      if (c >= 'A' && c <= 'Z') {
        throw new InvalidSpiffeIdException(
            what, input, "the trust domain must be lowercase, found '" + c + "'");
      }
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
        throw new InvalidSpiffeIdException(
            what, input,
            "the trust domain has the character '" + c
                + "'; only a-z, 0-9, '.', '-' and '_' are allowed");
      }
    }
    return name;
  }

  static TrustDomain ofChecked(String name) {
    return new TrustDomain(name);
  }

  /** The name, for example {@code cluster.local}. */
  public String name() {
    return name;
  }

  /** The SPIFFE ID of the trust domain itself, {@code spiffe://<name>}, as its CAs carry it. */
  public String idString() {
    return SpiffeId.SCHEME_PREFIX + name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustDomain other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public int compareTo(TrustDomain other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
