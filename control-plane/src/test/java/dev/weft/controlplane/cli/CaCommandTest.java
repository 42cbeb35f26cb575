package dev.weft.controlplane.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cert.FileCertificateSource;
import dev.weft.cert.WorkloadCredential;
import dev.weft.cert.internal.Pem;
import dev.weft.identity.internal.X509Svids;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CaCommandTest {
  private static final String WEB = "spiffe://cluster.local/ns/default/sa/web";

  @TempDir Path tmp;

  @Test
  void initWritesTheIstioPluginCaLayout() throws Exception {
    Path ca = tmp.resolve("ca");

    Run run = run("init", "--dir", ca.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    for (String name : List.of("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem")) {
      assertThat(ca.resolve(name)).isRegularFile();
      assertThat(run.out()).contains(ca.resolve(name).toString());
    }
    assertThat(mode(ca.resolve("ca-key.pem"))).isEqualTo("rw-------");
    String opensslFingerprint = openssl(
        "x509", "-noout", "-fingerprint", "-sha256", "-in", ca.resolve("root-cert.pem").toString());
    assertThat(run.out())
        .contains("Root SHA-256 fingerprint: "
            + opensslFingerprint.substring(opensslFingerprint.indexOf('=') + 1).trim())
        .contains("kubectl create secret generic cacerts -n istio-system --from-file=" + ca);
  }

  @Test
  void initUsesTheRequestedTrustDomainAndKeyAlgorithm() throws Exception {
    Path ca = tmp.resolve("ca");

    Run run = run("init", "--dir", ca.toString(), "--trust-domain", "example.org",
        "--key-algorithm", "rsa-2048");

    assertThat(run.exitCode()).as(run.err()).isZero();
    X509Certificate root = readCertificates(ca.resolve("root-cert.pem")).get(0);
    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("O=example.org");
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void initRefusesADirectoryThatAlreadyHoldsACa() throws Exception {
    Path ca = tmp.resolve("ca");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();
    byte[] key = Files.readAllBytes(ca.resolve("ca-key.pem"));

    Run second = run("init", "--dir", ca.toString());

    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err()).hasLineCount(1)
        .startsWith("ca init: " + ca + " already holds a CA (ca-cert.pem, ca-key.pem, "
            + "root-cert.pem, cert-chain.pem); left it unchanged");
    assertThat(Files.readAllBytes(ca.resolve("ca-key.pem"))).isEqualTo(key);
  }

  @Test
  void initRejectsAnUnknownKeyAlgorithm() {
    Run run = run("init", "--dir", tmp.resolve("ca").toString(), "--key-algorithm", "dsa");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--key-algorithm': 'dsa' is not a "
        + "key algorithm; use one of [ecdsa-p256, rsa-2048]");
    assertThat(tmp.resolve("ca")).doesNotExist();
  }

  @Test
  void issueWritesTheCredentialIstioAgentWrites() throws Exception {
    Path ca = tmp.resolve("ca");
    Path out = tmp.resolve("workload");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();

    Run run = run("issue", "--dir", ca.toString(), "--spiffe-id", WEB, "--ttl", "1h",
        "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("Issued " + WEB, out.resolve("key.pem").toString(),
        out.resolve("cert-chain.pem").toString(), out.resolve("root-cert.pem").toString());
    assertThat(mode(out)).isEqualTo("rwx------");
    assertThat(mode(out.resolve("key.pem"))).isEqualTo("rw-------");

    List<X509Certificate> chain = readCertificates(out.resolve("cert-chain.pem"));
    X509Certificate leaf = chain.get(0);
    assertThat(X509Svids.leafIdentity(leaf).toString()).isEqualTo(WEB);
    assertThat(chain.get(chain.size() - 1))
        .isEqualTo(readCertificates(ca.resolve("root-cert.pem")).get(0));
    assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
        .isBetween(Duration.ofMinutes(55), Duration.ofHours(1));

    Path leafFile = tmp.resolve("leaf.pem");
    Path restOfChain = tmp.resolve("rest-of-chain.pem");
    Files.writeString(leafFile, Pem.write(leaf));
    Files.writeString(restOfChain, Pem.write(chain.subList(1, chain.size())));
    assertThat(openssl("verify", "-CAfile", out.resolve("root-cert.pem").toString(),
        "-untrusted", restOfChain.toString(), leafFile.toString()))
        .isEqualTo(leafFile + ": OK\n");
    assertThat(openssl("x509", "-noout", "-ext", "subjectAltName", "-in", leafFile.toString()))
        .contains("URI:" + WEB);

    WorkloadCredential credential = FileCertificateSource.inDirectory(out).fetch();
    assertThat(credential.leaf()).isEqualTo(leaf);
  }

  @Test
  void issueRejectsAnInvalidSpiffeId() {
    Path ca = tmp.resolve("ca");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();

    Run run = run("issue", "--dir", ca.toString(), "--spiffe-id", "spiffe://Cluster.local/ns/x",
        "--out", tmp.resolve("workload").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--spiffe-id': Invalid SPIFFE ID "
        + "\"spiffe://Cluster.local/ns/x\": the trust domain must be lowercase, found 'C'");
    assertThat(tmp.resolve("workload")).doesNotExist();
  }

  @Test
  void issueRefusesAnIdWithoutAWorkloadPath() {
    Path ca = tmp.resolve("ca");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();

    Run run = run("issue", "--dir", ca.toString(), "--spiffe-id", "spiffe://cluster.local",
        "--out", tmp.resolve("workload").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).hasLineCount(1).contains("spiffe://cluster.local: it has no path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1hour", "0s", "-1h", "P"})
  void issueRejectsAnInvalidTtl(String ttl) {
    Path ca = tmp.resolve("ca");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();

    Run run = run("issue", "--dir", ca.toString(), "--spiffe-id", WEB, "--ttl", ttl,
        "--out", tmp.resolve("workload").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--ttl': '" + ttl + "' is not a");
    assertThat(tmp.resolve("workload")).doesNotExist();
  }

  @Test
  void issueRefusesATtlAboveTheCaMaximum() {
    Path ca = tmp.resolve("ca");
    assertThat(run("init", "--dir", ca.toString()).exitCode()).isZero();

    Run run = run("issue", "--dir", ca.toString(), "--spiffe-id", WEB, "--ttl", "91d",
        "--out", tmp.resolve("workload").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ca issue: requested TTL 91d is greater than the max "
        + "allowed TTL 90d\n");
    assertThat(tmp.resolve("workload")).doesNotExist();
  }

  @Test
  void issueWithoutACaSuggestsCreatingOne() {
    Path missing = tmp.resolve("no-ca-here");

    Run run = run("issue", "--dir", missing.toString(), "--spiffe-id", WEB,
        "--out", tmp.resolve("workload").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ca issue: no CA in " + missing + " (it needs ca-cert.pem, "
        + "ca-key.pem, root-cert.pem); create one with 'ca init --dir " + missing + "'\n");
    assertThat(missing).doesNotExist();
  }

  @Test
  void caWithoutASubcommandIsAUsageError() {
    Run run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("ca: Missing required subcommand: one of init, issue\n");
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = WeftCommandLine.create(new CaCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static List<X509Certificate> readCertificates(Path file) throws Exception {
    return Pem.readCertificates(Files.readString(file), file.toString());
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  /** Runs the real openssl and returns what it printed; fails the test if openssl fails. */
  private static String openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    return output;
  }
}
