package dev.weft.http.okhttp.internal;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.mesh.OutboundRoute.Endpoint;
import dev.weft.mesh.UpstreamTls;
import dev.weft.mesh.UpstreamTls.MeshMtls;
import dev.weft.mesh.UpstreamTls.OriginatedTls;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layers the TLS an endpoint's policy asks for over a connection, so a connection is either
 * secured as decided or fails: it never falls back to plaintext. Mesh mTLS offers Istio's ALPN
 * for HTTP/1.1 (which a PERMISSIVE server looks for) and the route's SNI, if any; TLS a
 * DestinationRule originates offers HTTP/1.1 and its {@code sni}, else the host called, as
 * Istio's auto-SNI does. The server is verified by its SPIFFE ID or the rule's names, never by
 * hostname verification. Blocking sockets get a completed handshake ({@link #handshake});
 * non-blocking stacks get a client {@link SSLEngine} set up the same way ({@link #engine}).
 */
public final class TlsOriginator {
  private static final Logger log = LoggerFactory.getLogger(TlsOriginator.class);
  static final List<String> MESH_ALPN = List.of("istio-http/1.1", "istio", "http/1.1");
  static final List<String> ORIGINATED_ALPN = List.of("http/1.1");

  private final MeshMtlsContexts meshContexts;
  private final OriginatedTlsContexts originatedContexts = new OriginatedTlsContexts();

  /** Mesh mTLS presents the certificates {@code certificates} gives, asked on first use. */
  public TlsOriginator(Supplier<WorkloadCertificates> certificates) {
    this.meshContexts = new MeshMtlsContexts(Objects.requireNonNull(certificates, "certificates"));
  }

  /**
   * A TLS socket over {@code raw}, connected to {@code upstream} for a request to {@code host},
   * after a completed handshake; closing it closes {@code raw}.
   *
   * @throws SSLException when the handshake fails, for whatever reason
   */
  SSLSocket handshake(Socket raw, Upstream upstream, String host) throws IOException {
    Setup setup = setup(upstream.tls(), host);
    SSLSocket socket = (SSLSocket) setup.context().getSocketFactory()
        .createSocket(raw, upstream.address(), upstream.port(), true);
    try {
      socket.setSSLParameters(setup.apply(socket.getSSLParameters()));
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

  /**
   * A client engine for {@code endpoint}'s TLS, for a request to {@code host}, not yet
   * handshaken.
   *
   * @throws SSLException when the TLS cannot be set up (a DestinationRule's unreadable files)
   * @throws IllegalArgumentException when the endpoint takes plaintext
   */
  public SSLEngine engine(Endpoint endpoint, String host) throws SSLException {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(host, "host");
    Setup setup = setup(endpoint.tls(), host);
    SSLEngine engine = setup.context().createSSLEngine(endpoint.address(), endpoint.port());
    engine.setUseClientMode(true);
    engine.setSSLParameters(setup.apply(engine.getSSLParameters()));
    return engine;
  }

  private Setup setup(UpstreamTls tls, String host) throws SSLHandshakeException {
    try {
      if (tls instanceof MeshMtls mesh) {
        return new Setup(meshContexts.context(mesh), MESH_ALPN, mesh.sni());
      }
      if (tls instanceof OriginatedTls originated) {
        return new Setup(originatedContexts.context(originated, host), ORIGINATED_ALPN,
            originated.sni().or(() -> isHostName(host) ? Optional.of(host) : Optional.empty()));
      }
    } catch (IOException e) {
      throw handshakeFailure("cannot set up TLS: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no TLS to originate for " + tls);
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

  /** The context to use, and the ALPN and SNI to offer. */
  private record Setup(SSLContext context, List<String> alpn, Optional<String> sni) {
    /** {@code parameters} with this ALPN and SNI, and no hostname verification. */
    SSLParameters apply(SSLParameters parameters) {
      parameters.setApplicationProtocols(alpn.toArray(new String[0]));
      parameters.setServerNames(sni.<List<SNIServerName>>map(name -> List.of(new SNIHostName(name)))
          .orElse(List.of()));
      parameters.setEndpointIdentificationAlgorithm(null);
      return parameters;
    }
  }
}
