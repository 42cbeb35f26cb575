package dev.weft.config;

import dev.weft.policy.ClientTls;
import dev.weft.policy.TlsMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rules Istio's admission webhook applies to a DestinationRule's {@code tls} (its
 * {@code ValidateTLS}), with its messages, plus one rule of Weft's own: {@code ISTIO_MUTUAL}
 * takes no certificate fields. Istio ignores them there; Weft refuses them, because a rule that
 * names a certificate but silently uses another one misleads whoever reads it.
 */
final class ClientTlsRules {

  private ClientTlsRules() {}

  /** Reports every rule {@code tls}, read from {@code map}, breaks. */
  static void check(ClientTls tls, YamlMap map) {
    if (tls.mode() == TlsMode.ISTIO_MUTUAL) {
      certificateFields(tls).forEach((field, value) -> {
        if (value.isPresent()) {
          map.error(field, "ISTIO_MUTUAL uses the workload's mesh certificate; remove " + field
              + " or use MUTUAL");
        }
      });
      return;
    }
    boolean hasCa = tls.caCertificates().isPresent();
    boolean hasCredential = tls.credentialName().isPresent();
    boolean hasSans = !tls.subjectAltNames().isEmpty();
    if (tls.insecureSkipVerify()) {
      if (tls.mode() == TlsMode.SIMPLE && (hasCa || hasCredential || hasSans)) {
        map.error("insecureSkipVerify", "cannot specify CaCertificates or CredentialName or"
            + " SubjectAltNames when InsecureSkipVerify is set true");
      }
      if (tls.mode() == TlsMode.MUTUAL && (hasCa || hasSans)) {
        map.error("insecureSkipVerify",
            "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
      }
    }
    boolean simpleOrMutual = tls.mode() == TlsMode.SIMPLE || tls.mode() == TlsMode.MUTUAL;
    if (simpleOrMutual && hasCredential) {
      if (tls.clientCertificate().isPresent() || hasCa || tls.privateKey().isPresent()) {
        map.error("credentialName",
            "cannot specify client certificates or CA certificate If credentialName is set");
      }
      return;
    }
    if (tls.mode() == TlsMode.MUTUAL) {
      if (tls.clientCertificate().isEmpty()) {
        map.error("clientCertificate", "client certificate required for mutual tls");
      }
      if (tls.privateKey().isEmpty()) {
        map.error("privateKey", "private key required for mutual tls");
      }
    }
  }

  private static Map<String, Optional<String>> certificateFields(ClientTls tls) {
    Map<String, Optional<String>> fields = new LinkedHashMap<>();
    fields.put("clientCertificate", tls.clientCertificate());
    fields.put("privateKey", tls.privateKey());
    fields.put("caCertificates", tls.caCertificates());
    fields.put("credentialName", tls.credentialName());
    return fields;
  }
}
