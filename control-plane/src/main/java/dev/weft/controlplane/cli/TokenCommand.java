package dev.weft.controlplane.cli;

import dev.weft.controlplane.auth.DevTokens;
import dev.weft.identity.SpiffeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code control-plane token}: write the bearer token that lets a workload be one identity. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Write a token naming a workload identity, signed with the control plane's"
        + " key; a workload presents it to get that identity's certificate and its xDS.")
public final class TokenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--state", required = true, paramLabel = "DIR",
      description = "The control plane's --state folder.")
  private Path state;

  @Option(names = "--spiffe-id", required = true, paramLabel = "ID",
      converter = SpiffeIdConverter.class,
      description = "The workload's identity, such as spiffe://cluster.local/ns/foo/sa/sleep")
  private SpiffeId identity;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the token (mode 0600).")
  private Path out;

  @Override
  public Integer call() throws IOException {
    try {
      DevTokens.inDirectory(state).writeTokenFile(identity, out);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage(), e);
    }
    spec.commandLine().getOut().println("Wrote a token for " + identity + " to " + out
        + " (mode 0600). Anyone who holds it can be " + identity + ": keep it private.");
    return 0;
  }
}
