package dev.weft.http.netty.internal;

import dev.weft.identity.SpiffeId;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The {@code x-forwarded-client-cert} header as an Istio sidecar sets it: Envoy's
 * APPEND_FORWARD with the details Subject, URI and DNS.
 */
final class Xfcc {
  static final AsciiString HEADER = AsciiString.cached("x-forwarded-client-cert");
  private static final int DNS_NAME = 2;

  private Xfcc() {}

  /**
   * This hop's element, keys in Envoy's order:
   * {@code By=<server>;Hash=<sha-256 of the peer leaf>;Subject="<dn>";URI=<peer>[;DNS=<name>]...}.
   */
  static String element(SpiffeId server, SpiffeId peer, X509Certificate leaf) {
    List<String> parts = new ArrayList<>();
    parts.add("By=" + server);
    parts.add("Hash=" + sha256Hex(leaf));
    parts.add("Subject=\"" + leaf.getSubjectX500Principal().getName(X500Principal.RFC2253) + "\"");
    parts.add("URI=" + peer);
    dnsNames(leaf).forEach(name -> parts.add("DNS=" + name));
    return String.join(";", parts);
  }

  /**
   * APPEND_FORWARD: with an element (mTLS), appends it to what the client sent; without one
   * (plaintext), removes whatever the client sent.
   */
  static void appendForward(HttpHeaders headers, Optional<String> element) {
    if (element.isEmpty()) {
      headers.remove(HEADER);
      return;
    }
    List<String> sent = headers.getAll(HEADER);
    headers.set(HEADER, sent.isEmpty()
        ? element.get() : String.join(",", sent) + "," + element.get());
  }

  private static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash the peer certificate: " + e, e);
    }
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new IllegalStateException("cannot read the peer certificate's names: " + e, e);
    }
    if (names == null) {
      return List.of();
    }
    return names.stream()
        .filter(name -> name.get(0) instanceof Integer type && type == DNS_NAME)
        .map(name -> (String) name.get(1))
        .toList();
  }
}
