package dev.weft.controlplane.auth;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets any client certificate through the handshake, asking for ones from the mesh roots, so
 * that {@link CallerAuthenticator} judges it on each call. A certificate it refuses then fails
 * the call with {@code UNAUTHENTICATED} and the reason, and a token may still authenticate the
 * caller, as in istiod's chain of authenticators; a handshake failure would say neither. The
 * handshake still proves the client holds the certificate's private key.
 */
final class PerCallClientTrustManager extends X509ExtendedTrustManager {
  private final X509Certificate[] acceptedIssuers;

  PerCallClientTrustManager(List<X509Certificate> roots) {
    this.acceptedIssuers = roots.toArray(new X509Certificate[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw serverSideOnly();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw serverSideOnly();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw serverSideOnly();
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return acceptedIssuers.clone();
  }

  private static CertificateException serverSideOnly() {
    return new CertificateException("the control plane's trust manager judges clients, not servers");
  }
}
