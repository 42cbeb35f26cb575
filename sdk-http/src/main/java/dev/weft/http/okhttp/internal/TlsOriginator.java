package dev.weft.http.okhttp.internal;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.mesh.UpstreamTls;
import dev.weft.mesh.UpstreamTls.MeshMtls;
import dev.weft.mesh.UpstreamTls.OriginatedTls;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layers the TLS an endpoint's policy asks for over a connected socket and completes the
 * handshake, so a connection is either secured as decided or fails: it never falls back to
 * plaintext. Mesh mTLS offers Istio's ALPN for HTTP/1.1 (which a PERMISSIVE server looks for)
 * and the route's SNI, if any; TLS a DestinationRule originates offers HTTP/1.1 and its
 * {@code sni}, else the host called, as Istio's auto-SNI does.
 */
final class TlsOriginator {
  private static final Logger log = LoggerFactory.getLogger(TlsOriginator.class);
  static final List<String> MESH_ALPN = List.of("istio-http/1.1", "istio", "http/1.1");
  static final List<String> ORIGINATED_ALPN = List.of("http/1.1");

  private final MeshMtlsContexts meshContexts;
  private final OriginatedTlsContexts originatedContexts = new OriginatedTlsContexts();

  /** Mesh mTLS presents the certificates {@code certificates} gives, asked on first use. */
  TlsOriginator(Supplier<WorkloadCertificates> certificates) {
    this.meshContexts = new MeshMtlsContexts(certificates);
  }

  /**
   * A TLS socket over {@code raw}, connected to {@code upstream} for a request to {@code host},
   * after a completed handshake; closing it closes {@code raw}.
   *
   * @throws SSLException when the handshake fails, for whatever reason
   */
  SSLSocket handshake(Socket raw, Upstream upstream, String host) throws IOException {
    UpstreamTls tls = upstream.tls();
    SSLSocketFactory factory;
    List<String> alpn;
    Optional<String> sni;
    try {
      if (tls instanceof MeshMtls mesh) {
        factory = meshContexts.factory(mesh);
        alpn = MESH_ALPN;
        sni = mesh.sni();
      } else if (tls instanceof OriginatedTls originated) {
        factory = originatedContexts.factory(originated, host);
        alpn = ORIGINATED_ALPN;
        sni = originated.sni().or(() -> isHostName(host) ? Optional.of(host) : Optional.empty());
      } else {
        throw new IllegalArgumentException("no TLS to originate for " + tls);
      }
    } catch (IOException e) {
      throw handshakeFailure("cannot set up TLS: " + e.getMessage(), e);
    }
    SSLSocket socket =
        (SSLSocket) factory.createSocket(raw, upstream.address(), upstream.port(), true);
    try {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(alpn.toArray(new String[0]));
      parameters.setServerNames(sni.<List<SNIServerName>>map(name -> List.of(new SNIHostName(name)))
          .orElse(List.of()));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e instanceof SSLException ssl ? ssl
          : handshakeFailure("the connection failed during the TLS handshake: " + e, e);
    }
    if (log.isDebugEnabled()) {
      log.debug("TLS to {} for {}: {} {}, ALPN {}", upstream.authority(), host,
          socket.getSession().getProtocol(), socket.getSession().getCipherSuite(),
          socket.getApplicationProtocol());
    }
    return socket;
  }

  private static SSLHandshakeException handshakeFailure(String message, Throwable cause) {
    SSLHandshakeException failure = new SSLHandshakeException(message);
    failure.initCause(cause);
    return failure;
  }

  /** Whether SNI can name {@code host}: a DNS name, not an IP literal. */
  private static boolean isHostName(String host) {
    return host.indexOf(':') < 0 && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
