package dev.weft.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports, for a server the mesh must know the address of before it listens. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A loopback port that was free a moment ago. */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
