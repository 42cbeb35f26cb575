package dev.weft.samples.cli;

import dev.weft.mesh.Mesh;
import dev.weft.samples.sleep.SleepClient;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sleep}: the sample client: call a URL once and say what came back. */
@Command(
    name = "sleep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Call a URL once, through Weft (or with --legacy, plain OkHttp), and print the status;"
            + " 503 when a mesh call got no response, 000 when a plain call's connection failed,"
            + " with the reason on stderr. With --show identity, print the identity the httpbin"
            + " at that URL saw (from /headers), or plaintext.",
        "Exit code 0 when a response arrived, 1 when none did.",
        "Examples:",
        "  weft sleep http://httpbin.bar:8000/ip --namespace foo --config policies/",
        "  weft sleep http://httpbin.bar:8000/ip --legacy --resolve httpbin.bar:8000=127.0.0.1:8080"})
public final class SleepCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private MeshOptions mesh;

  @Parameters(paramLabel = "URL", description = "What to call, such as http://httpbin.bar:8000/ip")
  private String url;

  @Option(names = "--show", paramLabel = "code|identity", defaultValue = "code",
      description = "Print the status (default) or the identity httpbin saw.")
  private String show;

  @Option(names = "--legacy", description = "No Weft: plain OkHttp.")
  private boolean legacy;

  @Option(names = "--resolve", paramLabel = "HOST:PORT=ADDRESS:PORT",
      description = "With --legacy: where a host:port is reached, as kube-proxy would; repeatable.")
  private Map<String, String> resolve = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "Log what the workload does, on stderr.")
  private boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (!show.equals("code") && !show.equals("identity")) {
      throw new ParameterException(spec.commandLine(), "--show takes code or identity, not " + show);
    }
    if (!legacy && !resolve.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "--resolve is for --legacy; in the mesh, Weft resolves the host");
    }
    CommandLogging.quiet(verbose);
    Mesh joined = legacy ? null : mesh.start(mesh.builder("sleep"));
    try (SleepClient client = legacy ? SleepClient.legacy(targets()) : SleepClient.withWeft(joined)) {
      SleepClient.Result result = show.equals("identity") ? client.identity(url) : client.call(url);
      PrintWriter out = spec.commandLine().getOut();
      out.println(result.value());
      out.flush();
      result.failure().ifPresent(why -> spec.commandLine().getErr().println(why));
      return result.failure().isPresent() ? 1 : 0;
    } finally {
      if (joined != null) {
        joined.close();
      }
    }
  }

  private Map<String, InetSocketAddress> targets() {
    Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
    resolve.forEach((target, address) -> {
      int colon = address.lastIndexOf(':');
      try {
        targets.put(target, new InetSocketAddress(address.substring(0, colon),
            Integer.parseInt(address.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw new ParameterException(spec.commandLine(),
            "--resolve " + target + "=" + address + ": the address is not ADDRESS:PORT");
      }
    });
    return targets;
  }
}
