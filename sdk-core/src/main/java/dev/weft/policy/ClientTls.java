package dev.weft.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DestinationRule's {@code tls}: how a client originates TLS. File fields name files on the
 * client's machine; empty means unset.
 */
public record ClientTls(
    TlsMode mode, Optional<String> clientCertificate, Optional<String> privateKey,
    Optional<String> caCertificates, Optional<String> credentialName,
    List<String> subjectAltNames, Optional<String> sni, boolean insecureSkipVerify) {

  public ClientTls {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(clientCertificate, "clientCertificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificates, "caCertificates");
    Objects.requireNonNull(credentialName, "credentialName");
    subjectAltNames = List.copyOf(subjectAltNames);
    Objects.requireNonNull(sni, "sni");
  }

  /** Settings with only a mode. */
  public static ClientTls of(TlsMode mode) {
    return new ClientTls(mode, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), false);
  }
}
