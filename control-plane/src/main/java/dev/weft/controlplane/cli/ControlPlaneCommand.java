package dev.weft.controlplane.cli;

import dev.weft.controlplane.ControlPlane;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code control-plane}: serve istiod-shaped xDS and Istio's CA API from a folder of Istio YAML. */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the Weft control plane: istiod-shaped xDS and Istio's CA API from the Istio YAML"
            + " in a folder, followed as it changes.",
        "A file with an error keeps its last good content in force; 'weft status' shows it."},
    subcommands = TokenCommand.class)
public final class ControlPlaneCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private VerboseOption verbose;

  // Not required = true: picocli would then demand it of the token subcommand too.
  @Option(names = "--config", paramLabel = "DIR",
      description = "Required: the folder of Istio YAML (PeerAuthentication, DestinationRule, Service,"
          + " WorkloadEntry, MeshConfig).")
  private Path config;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "15012",
      description = "TLS port for xDS and the CA API (default: ${DEFAULT-VALUE}, as istiod).")
  private int port;

  @Option(names = "--plaintext-port", paramLabel = "PORT", defaultValue = "-1",
      description = "Also serve xDS in plaintext, unauthenticated, on this loopback port"
          + " (istiod uses 15010; default: off).")
  private int plaintextPort;

  @Option(names = "--debug-port", paramLabel = "PORT", defaultValue = "15014",
      description = "HTTP port for status and config dumps (default: ${DEFAULT-VALUE}).")
  private int debugPort;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String bind;

  @Option(names = "--state", paramLabel = "DIR",
      description = "Keep the CA and the token key here, so certificates and tokens survive a"
          + " restart (default: in memory).")
  private Path state;

  @Option(names = "--host-name", paramLabel = "NAME",
      description = "A name the control plane's certificate also carries; repeatable.")
  private List<String> hostNames = List.of();

  @Option(names = "--cluster-id", paramLabel = "ID", defaultValue = "Kubernetes",
      description = "The cluster workloads say they are in (default: ${DEFAULT-VALUE}).")
  private String clusterId;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (config == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--config=DIR'");
    }
    if (!Files.isDirectory(config)) {
      throw new CommandFailedException("--config " + config + " is not a folder");
    }
    ControlPlane.Builder builder = ControlPlane.newBuilder()
        .configDirectory(config)
        .port(port)
        .debugPort(debugPort)
        .bindAddress(InetAddress.getByName(bind))
        .hostNames(hostNames)
        .clusterId(clusterId);
    if (plaintextPort >= 0) {
      builder.plaintextPort(plaintextPort);
    }
    if (state != null) {
      builder.stateDirectory(state);
    }
    ControlPlane controlPlane = builder.build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      controlPlane.close();
      stopped.countDown();
    }, "weft-control-plane-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Weft control plane for " + config + ", trust domain "
        + controlPlane.certificateAuthority().trustDomain() + ":");
    out.println("  xDS and CA (TLS)   " + bind + ":" + controlPlane.port());
    if (controlPlane.plaintextPort() >= 0) {
      out.println("  xDS (plaintext)    127.0.0.1:" + controlPlane.plaintextPort());
    }
    out.println("  status             http://" + bind + ":" + controlPlane.debugPort()
        + "/debug/syncz   (weft status --control-plane " + bind + ":"
        + controlPlane.debugPort() + ")");
    out.println(state == null
        ? "  CA and tokens      in memory: a new root at every start (use --state DIR to keep them)"
        : "  CA and tokens      " + state + "   (weft control-plane token --state " + state
            + " --spiffe-id ID --out FILE)");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
