package dev.weft.benchmarks;

import dev.weft.identity.TrustDomain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Weft control plane in a JVM of its own, so that what it holds is not in the heap of the
 * process that joins it: the child runs a main class (the same Java and class path as this
 * process) that starts the control plane and writes, into a directory this process gives it,
 * what a workload needs to join, then serves until its standard input closes.
 */
final class ControlPlaneProcess implements AutoCloseable {
  /** What the child writes last, atomically: the port and trust domain. */
  static final String JOIN_FILE = "join.properties";
  /** Where the child writes its CA, whose root certificates are in {@code root-cert.pem}. */
  static final String STATE_DIRECTORY = "state";
  /** The token of {@link SyntheticMesh#client}'s identity. */
  static final String TOKEN_FILE = "client.token";

  private static final String LOG_FILE = "control-plane.log";

  private final Process process;
  private final Path directory;
  private final int port;
  private final TrustDomain trustDomain;
  private final List<X509Certificate> rootCertificates;

  private ControlPlaneProcess(Process process, Path directory, Properties join)
      throws IOException {
    this.process = process;
    this.directory = directory;
    this.port = Integer.parseInt(join.getProperty("port"));
    this.trustDomain = TrustDomain.parse(join.getProperty("trustDomain"));
    this.rootCertificates = readCertificates(
        directory.resolve(STATE_DIRECTORY).resolve("ca").resolve("root-cert.pem"));
  }

  /**
   * Runs {@code mainClass} with {@code arguments} and then the directory to write to, and waits
   * up to {@code timeout} for it to say it serves.
   */
  static ControlPlaneProcess start(Class<?> mainClass, List<String> arguments, Duration timeout)
      throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("weft-bench-control-plane");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this")));
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
        mainClass.getName()));
    command.addAll(arguments);
    command.add(directory.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve(LOG_FILE).toFile()).start();
    try {
      return new ControlPlaneProcess(process, directory, awaitJoinFile(process, directory,
          timeout));
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static Properties awaitJoinFile(Process process, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    Path file = directory.resolve(JOIN_FILE);
    Instant deadline = Instant.now().plus(timeout);
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the control plane process exited with "
            + process.exitValue() + " before writing " + file + "; its output: "
            + Files.readString(directory.resolve(LOG_FILE)));
      }
      if (!Instant.now().isBefore(deadline)) {
        throw new IllegalStateException("the control plane process wrote no " + file
            + " within " + timeout);
      }
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
    Properties join = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      join.load(in);
    }
    return join;
  }

  /** In the child: publishes {@code join} as {@link #JOIN_FILE}, atomically. */
  static void writeJoinFile(Path directory, Properties join) throws IOException {
    Path temp = directory.resolve(JOIN_FILE + ".tmp");
    try (var out = Files.newOutputStream(temp)) {
      join.store(out, null);
    }
    Files.move(temp, directory.resolve(JOIN_FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  /** In the child: returns when the parent closed the child's standard input (or died). */
  static void awaitParentDone() throws IOException {
    while (System.in.read() != -1) {
      // Nothing is sent on it; only its end matters.
    }
  }

  int port() {
    return port;
  }

  TrustDomain trustDomain() {
    return trustDomain;
  }

  List<X509Certificate> rootCertificates() {
    return rootCertificates;
  }

  Path tokenFile() {
    return directory.resolve(TOKEN_FILE);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      process.destroyForcibly();
      deleteDirectory();
    }
  }

  private void deleteDirectory() throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static List<X509Certificate> readCertificates(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      return certificates;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the control plane's roots in " + pem + ": " + e, e);
    }
  }
}
