package dev.weft.http.netty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 on a socket the test holds, so it sees exactly when the server closes the connection. */
final class RawHttp1 implements AutoCloseable {
  private static final int MAX_LINE = 8192;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp1(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  record Response(String statusLine, Map<String, String> headers, String body) {}

  void send(String path) throws IOException {
    out.write(("GET " + path + " HTTP/1.1\r\nHost: httpbin\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  Response read() throws IOException {
    String statusLine = line();
    Map<String, String> headers = new TreeMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Response(statusLine, headers, new String(body, StandardCharsets.UTF_8));
  }

  Response get(String path) throws IOException {
    send(path);
    return read();
  }

  /** Whether the server closed the connection: the next read finds its end. */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the server closed the connection mid-response");
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).stripTrailing();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
