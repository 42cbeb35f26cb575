package dev.weft.config.internal;

import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceMeta;
import java.util.List;

/** Configuration documents for tests, and what to check in the resources they give. */
final class ConfigYaml {
  private ConfigYaml() {}

  /** A PeerAuthentication {@code namespace/name} for the whole namespace, in mode {@code mode}. */
  static String peerAuthentication(String namespace, String name, String mode) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: %s
          namespace: %s
        spec:
          mtls:
            mode: %s
        """.formatted(name, namespace, mode);
  }

  /** A DestinationRule {@code foo/name} for {@code host}. */
  static String destinationRule(String name, String host) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: %s
          namespace: foo
        spec:
          host: %s
        """.formatted(name, host);
  }

  /** A MeshConfig named {@code name} with {@code spec}, a flow mapping such as {@code {}}. */
  static String meshConfig(String name, String spec) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: MeshConfig
        metadata:
          name: %s
        spec: %s
        """.formatted(name, spec);
  }

  /** {@code documents} as one multi-document file. */
  static String documents(String... documents) {
    return String.join("---\n", documents);
  }

  /** Each PeerAuthentication as {@code namespace/name=MODE}. */
  static List<String> modes(List<PeerAuthentication> peerAuthentications) {
    return peerAuthentications.stream()
        .map(pa -> pa.meta().namespace() + "/" + pa.meta().name() + "=" + pa.mode())
        .toList();
  }

  /** Each resource's name and where it was read, such as {@code httpbin@b.yaml, document 1}. */
  static String origin(ResourceMeta meta) {
    return meta.name() + "@" + meta.source();
  }
}
