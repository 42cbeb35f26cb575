package dev.weft.xds.internal;

import dev.weft.policy.ClientTls;
import dev.weft.policy.TlsMode;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CertificateProviderInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * TLS contexts as istiod writes them for proxyless gRPC, and Envoy's own forms for what istiod
 * does not send (SIMPLE and MUTUAL with files). grpc-java rejects those loudly (it supports
 * only certificate-provider instances), so they never turn into plaintext there.
 */
final class TlsContexts {
  private TlsContexts() {}

  /** The mesh mTLS context: the workload certificate and mesh roots, with both field generations. */
  @SuppressWarnings("deprecation") // Istio 1.29+ sends both; grpc-java 1.73-1.76 reads only one.
  static CommonTlsContext mesh(List<String> subjectAltNames) {
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
        .setCaCertificateProviderInstance(instance(XdsNames.ROOT_CERTIFICATE));
    for (String san : subjectAltNames) {
      validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san));
    }
    return CommonTlsContext.newBuilder()
        .setTlsCertificateProviderInstance(instance(XdsNames.WORKLOAD_CERTIFICATE))
        .setTlsCertificateCertificateProviderInstance(deprecated(XdsNames.WORKLOAD_CERTIFICATE))
        .setCombinedValidationContext(CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(validation)
            .setValidationContextCertificateProviderInstance(
                deprecated(XdsNames.ROOT_CERTIFICATE)))
        .build();
  }

  /** A server's mesh mTLS context: client certificate required, no SAN matchers (grpc-java refuses them). */
  static DownstreamTlsContext server() {
    return DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(mesh(List.of()))
        .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
        .build();
  }

  /** A client's context for a DestinationRule's TLS mode other than DISABLE. */
  static UpstreamTlsContext client(ClientTls tls, List<String> meshIdentities) {
    UpstreamTlsContext.Builder upstream = UpstreamTlsContext.newBuilder();
    tls.sni().ifPresent(upstream::setSni);
    if (tls.mode() == TlsMode.ISTIO_MUTUAL) {
      List<String> sans = tls.subjectAltNames().isEmpty() ? meshIdentities : tls.subjectAltNames();
      return upstream.setCommonTlsContext(mesh(sans)).build();
    }
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    if (tls.credentialName().isPresent()) {
      // Istio's form for a Kubernetes secret. Weft cannot read secrets and says so; grpc-java NACKs.
      common.addTlsCertificateSdsSecretConfigs(
          SdsSecretConfig.newBuilder().setName("kubernetes://" + tls.credentialName().get()));
    }
    if (tls.mode() == TlsMode.MUTUAL && tls.clientCertificate().isPresent()) {
      common.addTlsCertificates(TlsCertificate.newBuilder()
          .setCertificateChain(file(tls.clientCertificate().get()))
          .setPrivateKey(file(tls.privateKey().orElseThrow())));
    }
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
    if (tls.caCertificates().isPresent()) {
      validation.setTrustedCa(file(tls.caCertificates().get()));
    } else {
      validation.setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance());
    }
    for (String san : tls.subjectAltNames()) {
      validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san));
    }
    if (tls.insecureSkipVerify()) {
      validation.setTrustChainVerification(
          CertificateValidationContext.TrustChainVerification.ACCEPT_UNTRUSTED);
    }
    return upstream.setCommonTlsContext(common.setValidationContext(validation)).build();
  }

  private static CertificateProviderPluginInstance instance(String certificateName) {
    return CertificateProviderPluginInstance.newBuilder()
        .setInstanceName(XdsNames.CERTIFICATE_PROVIDER)
        .setCertificateName(certificateName)
        .build();
  }

  private static CertificateProviderInstance deprecated(String certificateName) {
    return CertificateProviderInstance.newBuilder()
        .setInstanceName(XdsNames.CERTIFICATE_PROVIDER)
        .setCertificateName(certificateName)
        .build();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }
}
