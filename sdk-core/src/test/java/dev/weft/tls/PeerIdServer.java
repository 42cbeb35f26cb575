package dev.weft.tls;

import dev.weft.identity.PeerIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback HTTP/1.x server over a Weft server context. Each request is answered with the
 * caller's verified SPIFFE ID; handshake failures are recorded so tests can assert the reason
 * the server gave.
 */
final class PeerIdServer implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("peer-id-server"));
  final List<String> failures = new CopyOnWriteArrayList<>();
  final List<PeerIdentity> peers = new CopyOnWriteArrayList<>();

  PeerIdServer(SSLContext context) throws IOException {
    serverSocket = context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "peer-id-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        workers.execute(() -> serve((SSLSocket) socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      PeerIdentity peer = PeerIdentity.of(socket.getSession());
      peers.add(peer);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // Skip the request line and headers.
      }
      byte[] body = (peer + "\n").getBytes(StandardCharsets.US_ASCII);
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException | RuntimeException e) {
      failures.add(String.valueOf(messages(e)));
    }
  }

  /** The messages of an exception and its causes, joined. */
  static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
    }
    return out.toString();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    workers.shutdownNow();
  }
}
