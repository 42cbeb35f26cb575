package dev.weft.mesh;

import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.internal.Pem;
import dev.weft.identity.TrustDomain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Fills a {@link Mesh.Builder} from the environment variables and files Istio's agent reads in
 * a pod, so a workload that an Istio sidecar injector prepared needs no configuration.
 */
final class IstioEnvironment {
  static final String TOKEN_FILE = "var/run/secrets/tokens/istio-token";
  static final String ROOT_CERT_FILE = "var/run/secrets/istio/root-cert.pem";

  private final Map<String, String> env;
  private final Path fileSystemRoot;

  IstioEnvironment(Map<String, String> env, Path fileSystemRoot) {
    this.env = env;
    this.fileSystemRoot = fileSystemRoot;
  }

  Mesh.Builder apply(Mesh.Builder builder) {
    value("POD_NAMESPACE").ifPresent(builder::namespace);
    value("SERVICE_ACCOUNT").ifPresent(builder::serviceAccount);
    value("POD_NAME").ifPresent(builder::workloadName);
    value("INSTANCE_IP").ifPresent(builder::instanceIp);
    value("ISTIO_META_CLUSTER_ID").ifPresent(builder::clusterId);
    value("ISTIO_METAJSON_LABELS").ifPresent(json -> builder.labels(labels(json)));
    value("TRUST_DOMAIN").ifPresent(domain -> builder.trustDomain(trustDomain(domain)));
    value("WEFT_CONFIG_DIR").ifPresent(directory -> builder.localConfig(Path.of(directory)));
    value("XDS_ADDR").ifPresent(address -> {
      builder.controlPlane(address);
      rootCertificates().ifPresent(builder::rootCertificates);
      Optional<Path> named = value("WEFT_TOKEN_FILE").map(Path::of);
      Path token = named.orElse(fileSystemRoot.resolve(TOKEN_FILE));
      if (named.isPresent() && !Files.isReadable(token)) {
        throw new IllegalArgumentException("WEFT_TOKEN_FILE " + token + " cannot be read");
      }
      if (Files.isReadable(token)) {
        builder.tokenFile(token);
      }
    });
    value("CA_ADDR").ifPresent(builder::caAddress);
    return builder;
  }

  private Optional<String> value(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty()
        : Optional.of(value.trim());
  }

  private static TrustDomain trustDomain(String value) {
    try {
      return TrustDomain.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TRUST_DOMAIN: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> labels(String json) {
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "ISTIO_METAJSON_LABELS is not a JSON object: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "ISTIO_METAJSON_LABELS is not a JSON object of labels: " + json);
    }
    Map<String, String> labels = new TreeMap<>();
    map.forEach((key, value) -> {
      if (!(key instanceof String name) || !(value instanceof String text)) {
        throw new IllegalArgumentException("ISTIO_METAJSON_LABELS: label " + key + " = " + value
            + " is not a string to a string");
      }
      labels.put(name, text);
    });
    return labels;
  }

  /** XDS_ROOT_CA, else CA_ROOT_CA, else the istio-ca-root-cert ConfigMap Istio mounts. */
  private Optional<List<X509Certificate>> rootCertificates() {
    String variable = env.containsKey("XDS_ROOT_CA") ? "XDS_ROOT_CA"
        : env.containsKey("CA_ROOT_CA") ? "CA_ROOT_CA" : null;
    Path file;
    if (variable != null) {
      String value = env.get(variable).trim();
      if (value.equals("SYSTEM")) {
        throw new IllegalArgumentException(variable + "=SYSTEM: Weft verifies the control plane"
            + " against the mesh root only; name the root's PEM file instead");
      }
      file = Path.of(value);
    } else {
      file = fileSystemRoot.resolve(ROOT_CERT_FILE);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
    }
    String source = variable != null ? file + " (" + variable + ")" : file.toString();
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mesh root " + source + ": " + e, e);
    }
    try {
      return Optional.of(Pem.readCertificates(pem, source));
    } catch (CertificateSourceException e) {
      throw new IllegalArgumentException("the mesh root " + e.getMessage(), e);
    }
  }
}
