package dev.weft.tls;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.identity.internal.X509Svids.Purpose;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a peer as an X.509-SVID against the current trust bundle of the peer's own trust
 * domain, then asks a {@link PeerAuthorizer} whether that SPIFFE ID is the one expected. This
 * takes the place of hostname verification, which cannot work for certificates that name no
 * host, so any endpoint identification algorithm set on the connection is not used.
 */
public final class MeshTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(MeshTrustManager.class);

  private final WorkloadCertificates certificates;
  private final PeerAuthorizer authorizer;

  private MeshTrustManager(WorkloadCertificates certificates, PeerAuthorizer authorizer) {
    this.certificates = certificates;
    this.authorizer = authorizer;
  }

  /** Trusts what {@code certificates}' current bundles trust, and what {@code authorizer} allows. */
  public static MeshTrustManager create(
      WorkloadCertificates certificates, PeerAuthorizer authorizer) {
    return new MeshTrustManager(
        Objects.requireNonNull(certificates, "certificates"),
        Objects.requireNonNull(authorizer, "authorizer"));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, Purpose.CLIENT);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, Purpose.CLIENT);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, Purpose.CLIENT);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, Purpose.SERVER);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, Purpose.SERVER);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, Purpose.SERVER);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return certificates.current().trustBundles().allRoots().toArray(new X509Certificate[0]);
  }

  private void verify(X509Certificate[] chain, Purpose purpose) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw rejected(purpose, "the peer sent no certificate");
    }
    SpiffeId peer;
    try {
      peer = X509Svids.verify(
          Arrays.asList(chain), certificates.current().trustBundles(), purpose, new Date());
      authorizer.authorize(peer);
    } catch (CertificateException e) {
      CertificateException rejection = rejected(purpose, e.getMessage());
      rejection.initCause(e);
      throw rejection;
    }
  }

  private static CertificateException rejected(Purpose purpose, String reason) {
    String message = "mesh TLS rejected the " + (purpose == Purpose.CLIENT ? "client" : "server")
        + ": " + reason;
    log.warn(message);
    return new CertificateException(message);
  }
}
