package dev.weft.controlplane.cli;

import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.FileCertificateSource;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.SpiffeId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ca issue}: signs a fresh key for a SPIFFE ID with the CA in a directory and writes the
 * credential as istio-agent does.
 */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description = {
        "Issue a workload certificate from the CA in a directory.",
        "Signs a fresh key for the SPIFFE ID and writes key.pem (mode 0600), cert-chain.pem "
            + "(leaf first, ending with the root) and root-cert.pem into --out: the files "
            + "istio-agent writes."})
public final class CaIssueCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private VerboseOption verbose;

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "Directory of the CA, as made by 'ca init'.")
  private Path dir;

  @Option(names = "--spiffe-id", required = true, paramLabel = "ID",
      converter = SpiffeIdConverter.class,
      description = "The workload's identity, such as%n"
          + "spiffe://cluster.local/ns/default/sa/web")
  private SpiffeId identity;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h",
      converter = DurationConverter.class,
      description = "Lifetime, like 90s, 30m, 1h30m, 24h, 90d or PT1H (default: "
          + "${DEFAULT-VALUE}; at most 90d).")
  private Duration ttl;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Directory to write the credential to; created with mode 0700 if absent.")
  private Path out;

  @Option(names = "--key-algorithm", paramLabel = "ALG", defaultValue = "ecdsa-p256",
      converter = KeyAlgorithmConverter.class,
      completionCandidates = KeyAlgorithmConverter.Names.class,
      description = "Key algorithm of the workload key: ${COMPLETION-CANDIDATES} "
          + "(default: ${DEFAULT-VALUE}).")
  private KeyAlgorithm keyAlgorithm;

  @Override
  public Integer call() throws CertificateSourceException {
    if (CaDirectory.lacksCa(dir)) {
      throw new CommandFailedException("no CA in " + dir + " (it needs "
          + String.join(", ", CaDirectory.REQUIRED_FILES) + "); create one with '"
          + spec.parent().qualifiedName() + " init --dir " + dir + "'");
    }
    LocalCertificateAuthority ca = LocalCertificateAuthority.newBuilder()
        .trustDomain(identity.trustDomain())
        .directory(dir)
        .build();
    KeyPair keyPair = KeyPairs.generate(keyAlgorithm);
    List<X509Certificate> chain =
        ca.sign(Pem.write(CertificateRequests.create(keyPair, identity)), identity, ttl);

    Path keyFile = out.resolve(FileCertificateSource.PRIVATE_KEY_FILE);
    Path chainFile = out.resolve(FileCertificateSource.CERTIFICATE_CHAIN_FILE);
    Path rootsFile = out.resolve(FileCertificateSource.ROOT_CERTIFICATES_FILE);
    try {
      SecureFiles.createPrivateDirectory(out);
      SecureFiles.writeSecret(keyFile, Pem.write(keyPair.getPrivate()));
      SecureFiles.writePublic(chainFile, Pem.write(chain));
      SecureFiles.writePublic(rootsFile, Pem.write(ca.rootCertificates()));
    } catch (IOException e) {
      throw new CommandFailedException("cannot write the credential to " + out + ": " + e, e);
    }

    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("Issued " + identity + ", valid until " + chain.get(0).getNotAfter().toInstant()
        + ":");
    stdout.println("  " + keyFile + "         private key, " + Certificates.describe(keyAlgorithm)
        + " (mode 0600)");
    stdout.println("  " + chainFile + "  certificate chain, leaf first, ending with the root");
    stdout.println("  " + rootsFile + "   root certificate");
    stdout.println("This is the layout istio-agent writes; a Weft workload reads it with "
        + "FileCertificateSource.inDirectory.");
    return 0;
  }
}
