package dev.weft.samples.topology;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports, for a workload that must say where it listens before it listens. */
final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A loopback address whose port was free a moment ago. */
  static InetSocketAddress reserve() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(socket.getInetAddress().getHostAddress(),
          socket.getLocalPort());
    }
  }
}
