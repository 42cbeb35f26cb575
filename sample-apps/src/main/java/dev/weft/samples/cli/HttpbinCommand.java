package dev.weft.samples.cli;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import dev.weft.samples.httpbin.HttpbinServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code httpbin}: the sample server, in the mesh or with no Weft at all. */
@Command(
    name = "httpbin",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Serve httpbin's /ip, /headers and /status/<code> over HTTP until stopped: with Weft,"
            + " as the port's PeerAuthentication says, or with --legacy as a plain Netty server.",
        "Examples:",
        "  weft httpbin --port 8080 --namespace bar --config policies/",
        "  weft httpbin --port 8080 --namespace bar --control-plane 127.0.0.1:15012"
            + " --root-cert state/ca/root-cert.pem --token httpbin.token",
        "  weft httpbin --port 8081 --legacy"})
public final class HttpbinCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private MeshOptions mesh;

  @Mixin private ServeOptions serve;

  @Option(names = "--legacy", description = "No Weft: a plain HTTP/1.1 server.")
  private boolean legacy;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = serve.address();
    int port = serve.port;
    String bind = serve.bind;
    PrintWriter out = spec.commandLine().getOut();
    Mesh joined = null;
    HttpbinServer server;
    if (legacy) {
      server = HttpbinServer.legacy(address);
      out.println("httpbin (no Weft) serving plaintext HTTP/1.1 on " + bind + ":" + port);
    } else {
      joined = mesh.start(mesh.builder("httpbin").servePort(port, address));
      server = HttpbinServer.withWeft(joined, port, address);
      out.println("httpbin serving on " + bind + ":" + port + " as " + joined.identity());
      out.println("  port " + port + " accepts " + joined.inboundPolicy(port)
          .map(InboundPolicy::reason).orElse("nothing yet: no policy has arrived"));
    }
    UntilStopped.serve(out, "httpbin", server, Optional.ofNullable(joined));
    return 0;
  }
}
