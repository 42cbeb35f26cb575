package dev.weft.samples.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** Where a sample server listens: its container port, on an address. */
final class ServeOptions {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "The container port to serve (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  InetSocketAddress address() {
    return new InetSocketAddress(bind, port);
  }
}
