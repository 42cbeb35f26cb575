package dev.weft.xds.internal;

import dev.weft.mesh.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.TrustChainVerification;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads Envoy's file form of a client TLS context, which Weft sends for a DestinationRule's
 * SIMPLE and MUTUAL modes: certificate, key and CA as files, or the system's roots.
 */
final class FileTlsContext {
  private FileTlsContext() {}

  /** The TLS a client originates from {@code common}. */
  @SuppressWarnings("deprecation") // match_subject_alt_names is what istiod and Weft send.
  static UpstreamTls.OriginatedTls read(CommonTlsContext common, FieldPath at,
      Optional<String> sni, List<String> because) throws InvalidResourceException {
    Protos.only(common, at, "tls_certificates", "validation_context");
    if (common.getTlsCertificatesCount() > 1) {
      throw at.field("tls_certificates").invalid("has " + common.getTlsCertificatesCount()
          + " certificates; Weft presents one");
    }
    Optional<Path> certificate = Optional.empty();
    Optional<Path> privateKey = Optional.empty();
    if (common.getTlsCertificatesCount() == 1) {
      FieldPath certificateAt = at.field("tls_certificates").index(0);
      TlsCertificate tls = common.getTlsCertificates(0);
      Protos.only(tls, certificateAt, "certificate_chain", "private_key");
      certificate =
          Optional.of(file(tls.getCertificateChain(), certificateAt.field("certificate_chain")));
      privateKey = Optional.of(file(tls.getPrivateKey(), certificateAt.field("private_key")));
    }
    FieldPath validationAt = at.field("validation_context");
    if (!common.hasValidationContext()) {
      throw validationAt.invalid("is missing; Weft verifies every server it originates TLS to");
    }
    CertificateValidationContext validation = common.getValidationContext();
    Protos.only(validation, validationAt, "trusted_ca", "system_root_certs",
        "match_subject_alt_names", "trust_chain_verification");
    if (validation.hasTrustedCa() == validation.hasSystemRootCerts()) {
      throw validationAt.field("trusted_ca").invalid(validation.hasTrustedCa()
          ? "is set with system_root_certs; name one"
          : "is missing, and so is system_root_certs; name a CA file or the system's roots");
    }
    Optional<Path> ca = validation.hasTrustedCa()
        ? Optional.of(file(validation.getTrustedCa(), validationAt.field("trusted_ca")))
        : Optional.empty();
    List<String> subjectAltNames = ExactMatchers.values(
        validation.getMatchSubjectAltNamesList(), validationAt.field("match_subject_alt_names"));
    boolean insecureSkipVerify =
        validation.getTrustChainVerification() == TrustChainVerification.ACCEPT_UNTRUSTED;
    boolean mutual = certificate.isPresent();
    return new UpstreamTls.OriginatedTls(mutual, certificate, privateKey, ca, subjectAltNames,
        sni, insecureSkipVerify, because.isEmpty()
            ? List.of("control plane: cluster transport socket with TLS files ("
                + (mutual ? "MUTUAL" : "SIMPLE") + ")")
            : because);
  }

  private static Path file(DataSource source, FieldPath at) throws InvalidResourceException {
    String specifier = Protos.oneofField(source, "specifier");
    if (!specifier.equals("filename")) {
      throw at.invalid("is " + (specifier.isEmpty() ? "empty" : specifier)
          + "; Weft reads TLS material from files (filename)");
    }
    Protos.only(source, at, "filename");
    try {
      return Path.of(source.getFilename());
    } catch (InvalidPathException e) {
      throw at.field("filename").invalid("is not a file name: " + e.getMessage());
    }
  }
}
