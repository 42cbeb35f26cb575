package dev.weft.xds.internal;

import dev.weft.identity.TrustDomain;
import dev.weft.mesh.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Optional;

/**
 * Reads a cluster's transport socket into the TLS a client uses: mesh mTLS (ISTIO_MUTUAL) from
 * the certificate-provider form, or TLS a DestinationRule originates from Envoy's file form.
 */
final class UpstreamTlsReader {
  private static final String SECRETS = "credentialName needs a Kubernetes secret, which Weft"
      + " cannot read; give the DestinationRule clientCertificate/privateKey/caCertificates files";

  private UpstreamTlsReader() {}

  /**
   * The TLS of {@code socket}, with {@code because} as its reasons, or a description of the
   * socket when that is empty.
   */
  static UpstreamTls read(TransportSocket socket, TrustDomain trustDomain, List<String> because,
      FieldPath at) throws InvalidResourceException {
    UpstreamTlsContext tls = Protos.tlsContext(socket, UpstreamTlsContext.class, at);
    FieldPath context = at.field("typed_config");
    Protos.only(tls, context, "common_tls_context", "sni");
    Optional<String> sni = tls.getSni().isEmpty() ? Optional.empty() : Optional.of(tls.getSni());
    CommonTlsContext common = tls.getCommonTlsContext();
    FieldPath commonAt = context.field("common_tls_context");
    rejectSecrets(common, commonAt);
    if (!MeshTlsContext.isMeshForm(common)) {
      return FileTlsContext.read(common, commonAt, sni, because);
    }
    MeshTlsContext.SubjectAltNames sans = MeshTlsContext.read(common, commonAt);
    return new UpstreamTls.MeshMtls(ExactMatchers.spiffeIds(sans.matchers(), sans.at()),
        trustDomain, sni, because.isEmpty()
            ? List.of("control plane: cluster transport socket with the mesh certificate"
                + " provider (ISTIO_MUTUAL)")
            : because);
  }

  private static void rejectSecrets(CommonTlsContext common, FieldPath at)
      throws InvalidResourceException {
    if (common.getTlsCertificateSdsSecretConfigsCount() > 0) {
      throw at.field("tls_certificate_sds_secret_configs").index(0).invalid("names \""
          + common.getTlsCertificateSdsSecretConfigs(0).getName() + "\": " + SECRETS);
    }
    if (common.hasValidationContextSdsSecretConfig()) {
      throw at.field("validation_context_sds_secret_config").invalid("names \""
          + common.getValidationContextSdsSecretConfig().getName() + "\": " + SECRETS);
    }
    if (common.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
      throw at.field("combined_validation_context").field("validation_context_sds_secret_config")
          .invalid("names \"" + common.getCombinedValidationContext()
              .getValidationContextSdsSecretConfig().getName() + "\": " + SECRETS);
    }
  }
}
