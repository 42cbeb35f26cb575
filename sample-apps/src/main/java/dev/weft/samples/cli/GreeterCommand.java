package dev.weft.samples.cli;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import dev.weft.samples.greeter.GreeterServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greeter}: the gRPC sample server, in the mesh or with no Weft at all. */
@Command(
    name = "greeter",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Serve the greeter (weft.samples.Greeter: SayHello, SayHelloStream, WhoAmI) over gRPC"
            + " until stopped: with Weft's credentials, as the port's PeerAuthentication says"
            + " (PERMISSIVE takes TLS and plaintext on the one port), or with --legacy as a"
            + " plain grpc-java server.",
        "Examples:",
        "  weft greeter --port 8080 --namespace bar --config policies/",
        "  weft greeter --port 8080 --namespace bar --config policies/ --xds",
        "  weft greeter --port 8081 --legacy"})
public final class GreeterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private MeshOptions mesh;

  @Mixin private ServeOptions serve;

  @Option(names = "--legacy", description = "No Weft: a plain grpc-java server, plaintext.")
  private boolean legacy;

  @Option(names = "--xds", description = "grpc-java's own xDS server (XdsServerBuilder) on the"
      + " mesh, instead of Weft's credentials; PERMISSIVE is then plaintext only.")
  private boolean xds;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = serve.address();
    int port = serve.port;
    String bind = serve.bind;
    PrintWriter out = spec.commandLine().getOut();
    Mesh joined = null;
    GreeterServer server;
    if (legacy) {
      server = GreeterServer.legacy(address);
      out.println("greeter (no Weft) serving plaintext gRPC on " + bind + ":" + port);
    } else {
      joined = mesh.start(mesh.builder("greeter").servePort(port, address));
      server = xds ? GreeterServer.withXds(joined, address)
          : GreeterServer.withWeft(joined, port, address);
      out.println("greeter serving gRPC" + (xds ? " (grpc-java xDS)" : "") + " on " + bind + ":"
          + port + " as " + joined.identity());
      out.println("  port " + port + " accepts " + joined.inboundPolicy(port)
          .map(InboundPolicy::reason).orElse("nothing yet: no policy has arrived"));
    }
    UntilStopped.serve(out, "greeter", server, Optional.ofNullable(joined));
    return 0;
  }
}
