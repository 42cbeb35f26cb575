package dev.weft.tls;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.tls.internal.ConfiguredSslContextSpi;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Mesh TLS settings and ready-made {@link SSLContext}s. TLS 1.3 is preferred and 1.2 the
 * minimum; TLS 1.2 uses only ECDHE key exchange with AES-GCM, Istio's forward-secret suites.
 * The key and trust managers work with any stack that takes them (Netty with the JDK or
 * BoringSSL, grpc-java, OkHttp); the contexts suit code that takes a plain {@code SSLContext}.
 */
public final class MeshTls {
  /** Protocols in order of preference. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** Cipher suites in order of preference: TLS 1.3's, then Istio's ECDHE AES-GCM for TLS 1.2. */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  private MeshTls() {}

  /**
   * A server context: presents the workload certificate, requires a client certificate and
   * accepts callers that {@code authorizer} allows.
   */
  public static SSLContext serverContext(
      WorkloadCertificates certificates, PeerAuthorizer authorizer) {
    return context(certificates, authorizer, false);
  }

  /**
   * A client context: presents the workload certificate and accepts servers that
   * {@code authorizer} allows. Make one per set of expected server identities; each context
   * keeps its own TLS sessions, so a resumed session was authorized for the same expectation.
   */
  public static SSLContext clientContext(
      WorkloadCertificates certificates, PeerAuthorizer authorizer) {
    return context(certificates, authorizer, true);
  }

  private static SSLContext context(
      WorkloadCertificates certificates, PeerAuthorizer authorizer, boolean client) {
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(authorizer, "authorizer");
    try {
      SSLContext jdk = SSLContext.getInstance("TLS");
      jdk.init(
          new KeyManager[] {MeshKeyManager.create(certificates)},
          new TrustManager[] {MeshTrustManager.create(certificates, authorizer)},
          null);
      SSLParameters parameters = new SSLParameters(
          supported(CIPHER_SUITES, jdk.getSupportedSSLParameters().getCipherSuites()),
          supported(PROTOCOLS, jdk.getSupportedSSLParameters().getProtocols()));
      if (!client) {
        parameters.setNeedClientAuth(true);
      }
      return ConfiguredSslContextSpi.wrap(jdk, parameters, client);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot create a TLS context", e);
    }
  }

  private static String[] supported(List<String> wanted, String[] available) {
    List<String> supported = new ArrayList<>(Arrays.asList(available));
    return wanted.stream().filter(supported::contains).toArray(String[]::new);
  }
}
