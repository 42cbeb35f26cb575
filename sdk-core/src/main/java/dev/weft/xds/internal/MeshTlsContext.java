package dev.weft.xds.internal;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * Reads the mesh form of a TLS context: the workload certificate and the mesh roots from the
 * certificate-provider instance {@code default}, in either generation of Envoy's fields (Istio
 * up to 1.28 sends only the deprecated ones, 1.29 both).
 */
@SuppressWarnings("deprecation") // The deprecated provider fields are what older istiod sends.
final class MeshTlsContext {
  private MeshTlsContext() {}

  /** The peer SAN matchers of a mesh context, and where they are. */
  record SubjectAltNames(List<StringMatcher> matchers, FieldPath at) {}

  /** Whether {@code common} asks for the mesh's certificate provider rather than files. */
  static boolean isMeshForm(CommonTlsContext common) {
    return common.hasTlsCertificateProviderInstance()
        || common.hasTlsCertificateCertificateProviderInstance()
        || common.getCombinedValidationContext().hasValidationContextCertificateProviderInstance()
        || common.getCombinedValidationContext().getDefaultValidationContext()
            .hasCaCertificateProviderInstance()
        || common.getValidationContext().hasCaCertificateProviderInstance();
  }

  /** Checks a mesh context and returns its peer SAN matchers. */
  static SubjectAltNames read(CommonTlsContext common, FieldPath at)
      throws InvalidResourceException {
    Protos.only(common, at, "tls_certificate_provider_instance",
        "tls_certificate_certificate_provider_instance", "combined_validation_context",
        "validation_context");
    boolean current = common.hasTlsCertificateProviderInstance();
    boolean deprecated = common.hasTlsCertificateCertificateProviderInstance();
    if (!current && !deprecated) {
      throw at.field("tls_certificate_provider_instance")
          .invalid("is missing; mesh mTLS presents the workload certificate");
    }
    if (current) {
      instance(common.getTlsCertificateProviderInstance().getInstanceName(),
          at.field("tls_certificate_provider_instance"));
    }
    if (deprecated) {
      instance(common.getTlsCertificateCertificateProviderInstance().getInstanceName(),
          at.field("tls_certificate_certificate_provider_instance"));
    }
    boolean roots = false;
    CertificateValidationContext validation;
    FieldPath validationAt;
    if (common.hasCombinedValidationContext()) {
      FieldPath combinedAt = at.field("combined_validation_context");
      CombinedCertificateValidationContext combined = common.getCombinedValidationContext();
      Protos.only(combined, combinedAt, "default_validation_context",
          "validation_context_certificate_provider_instance");
      if (combined.hasValidationContextCertificateProviderInstance()) {
        instance(combined.getValidationContextCertificateProviderInstance().getInstanceName(),
            combinedAt.field("validation_context_certificate_provider_instance"));
        roots = true;
      }
      validation = combined.getDefaultValidationContext();
      validationAt = combinedAt.field("default_validation_context");
    } else {
      validation = common.getValidationContext();
      validationAt = at.field("validation_context");
    }
    Protos.only(validation, validationAt, "ca_certificate_provider_instance",
        "match_subject_alt_names");
    if (validation.hasCaCertificateProviderInstance()) {
      instance(validation.getCaCertificateProviderInstance().getInstanceName(),
          validationAt.field("ca_certificate_provider_instance"));
      roots = true;
    }
    if (!roots) {
      throw validationAt.field("ca_certificate_provider_instance")
          .invalid("is missing; mesh mTLS verifies the peer against the mesh roots");
    }
    return new SubjectAltNames(validation.getMatchSubjectAltNamesList(),
        validationAt.field("match_subject_alt_names"));
  }

  private static void instance(String name, FieldPath at) throws InvalidResourceException {
    if (!name.equals(XdsNames.CERTIFICATE_PROVIDER)) {
      throw at.field("instance_name").invalid("is \"" + name + "\"; Weft provides only the"
          + " certificate-provider instance \"" + XdsNames.CERTIFICATE_PROVIDER
          + "\", the workload certificate and mesh roots");
    }
  }
}
