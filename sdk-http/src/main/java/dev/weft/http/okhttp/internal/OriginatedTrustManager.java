package dev.weft.http.okhttp.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a server for TLS a DestinationRule originates (SIMPLE, MUTUAL): its chain against
 * the rule's CA or the system's roots, then its names against the rule's
 * {@code subjectAltNames}, or, when it lists none, against the host the application called, as
 * Istio does. With {@code insecureSkipVerify} it accepts any server, as the rule asks.
 */
final class OriginatedTrustManager extends X509ExtendedTrustManager {
  private final Optional<X509TrustManager> roots;
  private final List<String> subjectAltNames;
  private final String host;

  /** Verifies against {@code roots}; empty roots accept any server. */
  OriginatedTrustManager(Optional<X509TrustManager> roots, List<String> subjectAltNames,
      String host) {
    this.roots = roots;
    this.subjectAltNames = List.copyOf(subjectAltNames);
    this.host = host;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (roots.isEmpty()) {
      return;
    }
    roots.get().checkServerTrusted(chain, authType);
    SubjectAltNames names = SubjectAltNames.of(chain[0]);
    if (!subjectAltNames.isEmpty() && !names.containsAnyOf(subjectAltNames)) {
      throw new CertificateException("the server's certificate is for " + names
          + ", none of the subjectAltNames " + subjectAltNames);
    }
    if (subjectAltNames.isEmpty() && !names.coversHost(host)) {
      throw new CertificateException("the server's certificate is for " + names + ", not "
          + host + " (with no subjectAltNames, the host called)");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client's trust manager does not verify clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return roots.map(X509TrustManager::getAcceptedIssuers).orElse(new X509Certificate[0]);
  }
}
