package dev.weft.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax rules Kubernetes and Istio apply to names, hosts and labels. Each check returns what
 * is wrong, or empty when the value is fine.
 */
final class Names {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern IANA_SERVICE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final int MAX_LABEL = 63;
  private static final int MAX_SUBDOMAIN = 253;
  private static final int MAX_HOST = 255;
  private static final int MAX_IANA_SERVICE_NAME = 15;
  private static final String UNIX_PREFIX = "unix://";

  private Names() {}

  /** A DNS-1123 label, as namespaces, subset names and port names are. */
  static Optional<String> checkDns1123Label(String value) {
    if (value.length() <= MAX_LABEL && DNS1123_LABEL.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(YamlValue.quoted(value) + " is not a valid DNS-1123 label: lowercase"
        + " letters, digits and '-', starting and ending with a letter or digit, at most "
        + MAX_LABEL + " characters");
  }

  /** A DNS-1123 subdomain, as most resource names are. */
  static Optional<String> checkDns1123Subdomain(String value) {
    boolean valid = !value.isEmpty() && value.length() <= MAX_SUBDOMAIN;
    for (String label : value.split("\\.", -1)) {
      valid &= DNS1123_LABEL.matcher(label).matches();
    }
    if (valid) {
      return Optional.empty();
    }
    return Optional.of(YamlValue.quoted(value) + " is not a valid DNS-1123 subdomain: dot-separated"
        + " lowercase letters, digits and '-', each part starting and ending with a letter or"
        + " digit, at most " + MAX_SUBDOMAIN + " characters");
  }

  /** A DNS-1035 label, as Service names are: a DNS-1123 label that starts with a letter. */
  static Optional<String> checkDns1035Label(String value) {
    if (value.length() <= MAX_LABEL && DNS1035_LABEL.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(YamlValue.quoted(value) + " is not a valid DNS-1035 label: lowercase"
        + " letters, digits and '-', starting with a letter and ending with a letter or digit, at"
        + " most " + MAX_LABEL + " characters");
  }

  /** An IANA service name, as a named {@code targetPort} is. */
  static Optional<String> checkIanaServiceName(String value) {
    boolean valid = value.length() <= MAX_IANA_SERVICE_NAME
        && IANA_SERVICE_NAME.matcher(value).matches()
        && !value.contains("--")
        && value.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    if (valid) {
      return Optional.empty();
    }
    String hint = value.chars().allMatch(Character::isDigit)
        ? "; to give a port number, write it without quotes" : "";
    return Optional.of(YamlValue.quoted(value) + " is not a valid port name: at most "
        + MAX_IANA_SERVICE_NAME + " lowercase letters, digits and single '-', with at least one"
        + " letter" + hint);
  }

  /** A label key: an optional DNS-1123 subdomain prefix and '/', then a name. */
  static Optional<String> checkLabelKey(String key) {
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    if (slash >= 0) {
      Optional<String> prefix = checkDns1123Subdomain(key.substring(0, slash));
      if (prefix.isPresent()) {
        return Optional.of("label key " + YamlValue.quoted(key) + ": the prefix " + prefix.get());
      }
    }
    if (name.isEmpty() || name.length() > MAX_LABEL || !LABEL_NAME.matcher(name).matches()) {
      return Optional.of("label key " + YamlValue.quoted(key) + " is invalid: the name part must"
          + " be 1 to " + MAX_LABEL + " letters, digits, '-', '_' or '.', starting and ending"
          + " with a letter or digit");
    }
    return Optional.empty();
  }

  /** A label value: empty, or like the name part of a key. */
  static Optional<String> checkLabelValue(String value) {
    if (value.isEmpty()
        || (value.length() <= MAX_LABEL && LABEL_NAME.matcher(value).matches())) {
      return Optional.empty();
    }
    return Optional.of("label value " + YamlValue.quoted(value) + " is invalid: at most "
        + MAX_LABEL + " letters, digits, '-', '_' or '.', starting and ending with a letter or"
        + " digit");
  }

  /**
   * A DestinationRule host: a short name or a domain name whose only wildcard is a whole first
   * label ({@code *.example.com}), or {@code *} alone. Like Istio, a trailing dot is allowed and
   * the last label may not be all digits.
   */
  static Optional<String> checkHost(String host) {
    if (host.length() > MAX_HOST) {
      return Optional.of("host is longer than " + MAX_HOST + " characters");
    }
    if (host.equals("*")) {
      return Optional.empty();
    }
    String rest = host.startsWith("*.") ? host.substring(2) : host;
    if (rest.contains("*")) {
      return Optional.of("host " + YamlValue.quoted(host) + " has a wildcard that is not a whole"
          + " first label; write *.example.com, or * for every host");
    }
    return checkDomainLabels(host, rest);
  }

  /** A workload address: an IP address, a domain name, or {@code unix://} and an absolute path. */
  static Optional<String> checkWorkloadAddress(String address) {
    if (address.startsWith(UNIX_PREFIX)) {
      String path = address.substring(UNIX_PREFIX.length());
      if (path.startsWith("@") && path.length() > 1) {
        return Optional.empty();
      }
      if (!path.startsWith("/") || path.endsWith("/")) {
        return Optional.of(YamlValue.quoted(address) + " is not unix:// and an absolute path to a"
            + " file");
      }
      return Optional.empty();
    }
    if (isIpAddress(address)) {
      return Optional.empty();
    }
    if (address.isEmpty() || address.length() > MAX_HOST
        || checkDomainLabels(address, address).isPresent()) {
      return Optional.of(YamlValue.quoted(address) + " is not a valid IP address or domain name");
    }
    return Optional.empty();
  }

  /** Whether {@code address} is a unix domain socket address. */
  static boolean isUnixAddress(String address) {
    return address.startsWith(UNIX_PREFIX);
  }

  /** Whether {@code text} is an IPv4 or IPv6 address literal. Never looks anything up. */
  static boolean isIpAddress(String text) {
    if (IPV4.matcher(text).matches()) {
      return true;
    }
    // InetAddress parses text with a ':' that starts with a hex digit or ':' as an IPv6
    // literal and fails rather than resolving it as a name.
    if (!text.contains(":") || !IPV6_CHARACTERS.matcher(text).matches() || text.startsWith(".")) {
      return false;
    }
    try {
      InetAddress.getByName(text);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Optional<String> checkDomainLabels(String host, String domain) {
    String[] labels = domain.split("\\.", -1);
    int last = labels.length - 1;
    if (last > 0 && labels[last].isEmpty()) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      if (labels[i].length() > MAX_LABEL || !DNS1123_LABEL.matcher(labels[i]).matches()) {
        return Optional.of("host " + YamlValue.quoted(host) + " is not a valid domain name: label "
            + YamlValue.quoted(labels[i]) + " must be lowercase letters, digits and '-', starting"
            + " and ending with a letter or digit");
      }
    }
    if (labels[last].chars().allMatch(Character::isDigit)) {
      return Optional.of("host " + YamlValue.quoted(host) + " is not a valid domain name: its last"
          + " label " + YamlValue.quoted(labels[last]) + " is all digits");
    }
    return Optional.empty();
  }
}
