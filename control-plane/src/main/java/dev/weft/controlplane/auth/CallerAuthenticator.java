package dev.weft.controlplane.auth;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.internal.X509Svids;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates a caller of the control plane as istiod does: tries a client certificate, then a
 * bearer token, and the first that succeeds names the caller. A client certificate must be an
 * X.509-SVID that verifies against the mesh's trust bundles; a token ({@code authorization:
 * Bearer <token>}, or {@code Istio <token>}) must verify with {@link DevTokens}, and a caller
 * sending one may name only this control plane's cluster in {@code ClusterID}, or none.
 */
public final class CallerAuthenticator {
  /** The cluster a control plane serves unless configured otherwise, as istiod's default. */
  public static final String DEFAULT_CLUSTER_ID = "Kubernetes";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  // Header names arrive lowercased, so this is the ClusterID that istio-agent sends.
  private static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER);
  private static final List<String> TOKEN_SCHEMES = List.of("Bearer ", "Istio ");

  private final TrustBundles trustBundles;
  private final DevTokens tokens;
  private final String clusterId;

  /** Trusts client certificates from {@code trustBundles} and tokens of {@code tokens}. */
  public CallerAuthenticator(TrustBundles trustBundles, DevTokens tokens, String clusterId) {
    this.trustBundles = Objects.requireNonNull(trustBundles, "trustBundles");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    if (clusterId.isBlank()) {
      throw new IllegalArgumentException("clusterId is blank");
    }
  }

  /**
   * The caller's identity, from the call's {@code headers} and its TLS {@code session} (null
   * without TLS); throws {@link Status#UNAUTHENTICATED} saying what was missing or wrong.
   */
  public SpiffeId authenticate(Metadata headers, SSLSession session) throws StatusException {
    Objects.requireNonNull(headers, "headers");
    List<String> failures = new ArrayList<>(2);
    List<X509Certificate> chain = peerCertificates(session);
    if (!chain.isEmpty()) {
      try {
        return X509Svids.verify(chain, trustBundles, X509Svids.Purpose.CLIENT, new Date());
      } catch (CertificateException e) {
        failures.add("client certificate: " + e.getMessage());
      }
    }
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null) {
      try {
        return tokenIdentity(authorization, headers.get(CLUSTER_ID));
      } catch (InvalidTokenException e) {
        failures.add("token: " + e.getMessage());
      }
    }
    if (failures.isEmpty()) {
      failures.add("no credential: present a client certificate from the mesh CA or an "
          + "authorization header \"Bearer <token>\"");
    }
    throw Status.UNAUTHENTICATED
        .withDescription("authentication failed: " + String.join("; ", failures))
        .asException();
  }

  private SpiffeId tokenIdentity(String authorization, String callerCluster)
      throws InvalidTokenException {
    String scheme = TOKEN_SCHEMES.stream().filter(authorization::startsWith).findFirst()
        .orElse(null);
    if (scheme == null) {
      throw new InvalidTokenException(
          "the authorization header is neither \"Bearer <token>\" nor \"Istio <token>\"");
    }
    if (callerCluster != null && !callerCluster.isEmpty() && !callerCluster.equals(clusterId)) {
      throw new InvalidTokenException("the caller names cluster \"" + callerCluster
          + "\" in ClusterID, but this control plane serves cluster \"" + clusterId + "\"");
    }
    return tokens.verify(authorization.substring(scheme.length()).strip());
  }

  private static List<X509Certificate> peerCertificates(SSLSession session) {
    if (session == null) {
      return List.of();
    }
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    return Arrays.stream(certificates)
        .filter(X509Certificate.class::isInstance)
        .map(X509Certificate.class::cast)
        .toList();
  }
}
