package dev.weft.http.okhttp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocket;

/**
 * A connection to one upstream, which OkHttp uses as a plaintext socket: connecting it
 * connects to the upstream's port and completes the TLS its policy asks for, and its streams
 * are then the TLS streams. The TCP connection is this socket itself, so OkHttp's timeouts and
 * health checks act on it; a connection OkHttp makes to any other target (a redirect) is for
 * {@link UpstreamSockets} to allow or refuse.
 */
final class UpstreamSocket extends Socket {
  private final UpstreamSockets.Route route;
  private volatile SSLSocket tls;
  private boolean closing;

  UpstreamSocket(UpstreamSockets.Route route) {
    this.route = route;
  }

  @Override
  public void connect(SocketAddress target, int timeout) throws IOException {
    InetSocketAddress requested = (InetSocketAddress) target;
    if (!route.isRouteTarget(requested)) {
      route.checkOtherTarget(requested);
      super.connect(target, timeout);
      return;
    }
    // As a sidecar's upstream connections: a TLS record (the handshake's last flight, say) and
    // the request after it must not wait on each other's ACK.
    setTcpNoDelay(true);
    super.connect(new InetSocketAddress(requested.getAddress(), route.upstream().port()), timeout);
    // The TLS layer takes this socket's own streams while tls is still null, so it never
    // reads its own output.
    tls = route.secure(this);
  }

  @Override
  public InputStream getInputStream() throws IOException {
    SSLSocket secured = tls;
    return secured == null ? super.getInputStream() : secured.getInputStream();
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    SSLSocket secured = tls;
    return secured == null ? super.getOutputStream() : secured.getOutputStream();
  }

  /** Closes the TLS layer first, which sends its close_notify and then closes this socket. */
  @Override
  public void close() throws IOException {
    SSLSocket secured;
    synchronized (this) {
      secured = closing ? null : tls;
      closing = true;
    }
    if (secured != null) {
      secured.close();
    }
    super.close();
  }

  @Override
  public String toString() {
    return "UpstreamSocket[" + route.upstream().authority() + (tls != null ? ", TLS" : "")
        + ", " + super.toString() + "]";
  }
}
