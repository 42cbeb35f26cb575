package dev.weft.samples.cli;

import dev.weft.samples.demo.Demo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: Istio's mTLS rules step by step, on the standard topology, in this process. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run httpbin and sleep with Weft in namespaces foo and bar and without it in legacy,"
            + " against Weft's own control plane, and take them through the scenarios observed"
            + " on a real Istio cluster, changing the configuration live. Each step prints who"
            + " could call whom, the identity each server saw, and why each failure failed.",
        "It finishes by itself, in a few seconds; exit code 1 if a result differed from the"
            + " prediction or from Istio."})
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--verbose", description = "Log what every workload does, on stderr.")
  private boolean verbose;

  @Override
  public Integer call() throws Exception {
    CommandLogging.quiet(verbose);
    PrintWriter err = spec.commandLine().getErr();
    int differences = new Demo(spec.commandLine().getOut(), line -> err.println(line)).run();
    return differences == 0 ? 0 : 1;
  }
}
