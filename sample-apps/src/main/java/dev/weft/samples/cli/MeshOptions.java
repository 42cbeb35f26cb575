package dev.weft.samples.cli;

import dev.weft.controlplane.cli.CommandFailedException;
import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a sample workload joins the mesh: the pod environment Istio's injector writes
 * ({@code Mesh.fromEnvironment()}), then these options over it.
 */
final class MeshOptions {
  @Spec(Spec.Target.MIXEE) private CommandSpec spec;

  @Option(names = "--namespace", paramLabel = "NS",
      description = "The workload's namespace (default: POD_NAMESPACE, else default).")
  private String namespace;

  @Option(names = "--service-account", paramLabel = "SA",
      description = "Its service account, which names its identity (default: SERVICE_ACCOUNT,"
          + " else the workload's name).")
  private String serviceAccount;

  @Option(names = "--label", paramLabel = "KEY=VALUE",
      description = "A label Services and policies select it by; repeatable (default:"
          + " app=<the workload's name>).")
  private Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--config", paramLabel = "DIR",
      description = "No control plane: the folder of Istio YAML to follow (WEFT_CONFIG_DIR).")
  private Path config;

  @Option(names = "--control-plane", paramLabel = "HOST:PORT",
      description = "istiod or 'weft control-plane' (XDS_ADDR).")
  private String controlPlane;

  @Option(names = "--root-cert", paramLabel = "FILE",
      description = "The PEM roots the control plane's certificate chains to (XDS_ROOT_CA).")
  private Path rootCert;

  @Option(names = "--token", paramLabel = "FILE",
      description = "The token that authenticates the workload (WEFT_TOKEN_FILE).")
  private Path token;

  /** A mesh builder for the workload {@code name}: the environment, then the options. */
  Mesh.Builder builder(String name) {
    Mesh.Builder builder;
    try {
      builder = Mesh.fromEnvironment();
    } catch (RuntimeException e) {
      throw new CommandFailedException("the environment cannot be used: " + e.getMessage(), e);
    }
    builder.workloadName(name);
    if (namespace != null) {
      builder.namespace(namespace);
    }
    builder.serviceAccount(serviceAccount != null ? serviceAccount
        : System.getenv().getOrDefault("SERVICE_ACCOUNT", name));
    if (!labels.isEmpty() || System.getenv("ISTIO_METAJSON_LABELS") == null) {
      builder.labels(labels.isEmpty() ? Map.of("app", name) : labels);
    }
    if (config != null) {
      builder.localConfig(config);
    }
    if (controlPlane != null) {
      builder.controlPlane(controlPlane);
    }
    if (rootCert != null) {
      builder.rootCertificates(certificates(rootCert));
    }
    if (token != null) {
      builder.tokenFile(token);
    }
    return builder;
  }

  /** Builds and starts the mesh; a configuration that cannot work is a one-line error. */
  Mesh start(Mesh.Builder builder) throws IOException {
    Mesh mesh;
    try {
      mesh = builder.build();
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      return mesh.start();
    } catch (IOException | RuntimeException e) {
      throw new CommandFailedException("could not join the mesh: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory.getInstance("X.509").generateCertificates(in)
          .forEach(c -> certificates.add((X509Certificate) c));
      if (certificates.isEmpty()) {
        throw new CommandFailedException("--root-cert " + file + " holds no PEM certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new CommandFailedException("--root-cert " + file + " cannot be read: " + e, e);
    } catch (CertificateException e) {
      throw new CommandFailedException("--root-cert " + file + " is not PEM certificates: "
          + e.getMessage(), e);
    }
  }
}
