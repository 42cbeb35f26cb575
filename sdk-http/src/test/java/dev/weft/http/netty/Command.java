package dev.weft.http.netty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real peer (curl, openssl) to its end, at most 20 seconds, and stops it if it hangs. */
final class Command {
  private Command() {}

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(String input, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("weft-command", ".out");
    Path err = Files.createTempFile("weft-command", ".err");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not finish in 20 s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result run(String... command) throws IOException, InterruptedException {
    return run("", List.of(command));
  }
}
