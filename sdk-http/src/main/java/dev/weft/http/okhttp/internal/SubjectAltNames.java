package dev.weft.http.okhttp.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The names a server certificate is for, and whether it is for a host or one of a list. */
final class SubjectAltNames {
  private static final int DNS = 2;
  private static final int URI = 6;
  private static final int IP = 7;

  private final List<String> dns;
  private final List<String> all;

  private SubjectAltNames(List<String> dns, List<String> all) {
    this.dns = dns;
    this.all = all;
  }

  static SubjectAltNames of(X509Certificate certificate) throws CertificateParsingException {
    List<String> dns = new ArrayList<>();
    List<String> all = new ArrayList<>();
    Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
    if (entries != null) {
      for (List<?> entry : entries) {
        int type = (Integer) entry.get(0);
        if (type == DNS || type == URI || type == IP) {
          String value = (String) entry.get(1);
          all.add(value);
          if (type == DNS) {
            dns.add(value.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return new SubjectAltNames(dns, all);
  }

  /** Whether one of the names is exactly one of {@code expected}, as Istio's subjectAltNames. */
  boolean containsAnyOf(List<String> expected) {
    return all.stream().anyMatch(expected::contains);
  }

  /** Whether the certificate is for {@code host}: a DNS name, maybe one wildcard label, or IP. */
  boolean coversHost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (all.contains(host)) {
      return true;
    }
    for (String pattern : dns) {
      if (pattern.startsWith("*.")) {
        int dot = name.indexOf('.');
        if (dot > 0 && name.substring(dot).equals(pattern.substring(1))) {
          return true;
        }
      } else if (pattern.equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
