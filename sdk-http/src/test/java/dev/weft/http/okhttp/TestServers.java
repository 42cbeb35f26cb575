package dev.weft.http.okhttp;

import dev.weft.mesh.Mesh;
import dev.weft.tls.MeshTls;
import dev.weft.tls.PeerAuthorizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Real servers on loopback for a client to talk to. */
final class TestServers {
  private TestServers() {}

  /** A plaintext HTTP server. */
  static MockWebServer plaintext() throws IOException {
    MockWebServer server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A plaintext HTTP server that answers every request 200 with its {@code name}. */
  static MockWebServer answering(String name) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().body(name).build();
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A mesh mTLS server presenting {@code workload}'s certificate and requiring the client's. */
  static MockWebServer meshMtls(Mesh workload) throws IOException {
    MockWebServer server = new MockWebServer();
    server.useHttps(MeshTls.serverContext(workload.certificates(), PeerAuthorizer.anyPeer())
        .getSocketFactory());
    server.requireClientAuth();
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * A plaintext HTTP server that answers whatever arrives with 400, as an HTTP server does to
   * a TLS ClientHello, and keeps the first byte of each connection.
   */
  static final class Answering400 implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Integer> firstBytes = new CopyOnWriteArrayList<>();

    Answering400() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::answerAll, "answering-400");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    /** The first byte each connection sent, in order. */
    List<Integer> firstBytes() {
      return firstBytes;
    }

    private void answerAll() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          connection.setSoTimeout(5_000);
          firstBytes.add(connection.getInputStream().read());
          connection.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\n"
              + "Content-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * A server that resets every connection it accepts, as a STRICT sidecar does to a plaintext
   * client.
   */
  static final class Resetting implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    Resetting() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::resetAll, "resetting-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    private void resetAll() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          accepted.incrementAndGet();
          connection.setSoLinger(true, 0);
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
