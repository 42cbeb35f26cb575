package dev.weft.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code demo}: will run the sample mesh; until then it says what is available. */
@Command(name = "demo", description = "Run the Weft demo (not available yet).")
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("The demo is not available yet. Available now: 'weft ca' "
        + "creates a root CA and issues workload certificates (see 'weft ca --help').");
    return 0;
  }
}
