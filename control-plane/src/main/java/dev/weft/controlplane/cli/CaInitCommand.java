package dev.weft.controlplane.cli;

import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.identity.TrustDomain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ca init}: creates a root CA in a directory laid out as Istio's plug-in CA secret. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
        "Create a root CA in a directory.",
        "Writes ca-cert.pem, ca-key.pem (mode 0600), cert-chain.pem and root-cert.pem: the "
            + "layout of Istio's plug-in CA secret cacerts, so istiod can sign with the same "
            + "root. Refuses a directory that already holds a CA."})
public final class CaInitCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private VerboseOption verbose;

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "Directory to create the CA in; created with mode 0700 if absent.")
  private Path dir;

  @Option(names = "--trust-domain", paramLabel = "NAME", defaultValue = "cluster.local",
      converter = TrustDomainConverter.class,
      description = "Trust domain of the root (default: ${DEFAULT-VALUE}).")
  private TrustDomain trustDomain;

  @Option(names = "--key-algorithm", paramLabel = "ALG", defaultValue = "ecdsa-p256",
      converter = KeyAlgorithmConverter.class,
      completionCandidates = KeyAlgorithmConverter.Names.class,
      description = "Key algorithm of the root: ${COMPLETION-CANDIDATES} "
          + "(default: ${DEFAULT-VALUE}).")
  private KeyAlgorithm keyAlgorithm;

  @Override
  public Integer call() throws CertificateSourceException {
    List<String> existing = CaDirectory.caFilesIn(dir);
    if (!existing.isEmpty()) {
      throw new CommandFailedException(dir + " already holds a CA (" + String.join(", ", existing)
          + "); left it unchanged. Choose another --dir, or issue from this CA with '"
          + spec.parent().qualifiedName() + " issue --dir " + dir + "'");
    }
    LocalCertificateAuthority ca = LocalCertificateAuthority.newBuilder()
        .trustDomain(trustDomain)
        .directory(dir)
        .rootKeyAlgorithm(keyAlgorithm)
        .build();
    X509Certificate root = ca.rootCertificates().get(0);

    PrintWriter out = spec.commandLine().getOut();
    out.println("Created a root CA for trust domain " + trustDomain + " in " + dir + ":");
    out.println("  " + dir.resolve(LocalCertificateAuthority.CA_KEY)
        + "      signing key, " + Certificates.describe(keyAlgorithm) + " (mode 0600)");
    out.println("  " + dir.resolve(LocalCertificateAuthority.CA_CERT)
        + "     signing certificate (the root itself)");
    out.println("  " + dir.resolve(LocalCertificateAuthority.CERT_CHAIN)
        + "  chain from the signing certificate to the root");
    out.println("  " + dir.resolve(LocalCertificateAuthority.ROOT_CERT)
        + "   root certificate");
    out.println("Root " + root.getSubjectX500Principal().getName() + ", valid until "
        + root.getNotAfter().toInstant());
    out.println("Root SHA-256 fingerprint: " + Certificates.sha256Fingerprint(root));
    out.println();
    out.println("Issue a workload certificate:");
    out.println("  " + spec.parent().qualifiedName() + " issue --dir " + dir + " --spiffe-id spiffe://"
        + trustDomain + "/ns/default/sa/default --ttl 24h --out DIR");
    out.println("Have istiod sign with this root (Istio's plug-in CA secret):");
    out.println("  kubectl create secret generic cacerts -n istio-system --from-file=" + dir);
    return 0;
  }
}
