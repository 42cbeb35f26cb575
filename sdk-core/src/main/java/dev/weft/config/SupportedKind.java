package dev.weft.config;

import dev.weft.policy.ResourceKind;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** A kind the loader reads: its API group and versions, how its names look, its spec parser. */
enum SupportedKind {
  PEER_AUTHENTICATION(ResourceKind.PEER_AUTHENTICATION, "security.istio.io",
      List.of("v1beta1", "v1"), Names::checkDns1123Subdomain, new PeerAuthenticationParser()),
  DESTINATION_RULE(ResourceKind.DESTINATION_RULE, "networking.istio.io",
      List.of("v1alpha3", "v1beta1", "v1"), Names::checkDns1123Subdomain,
      new DestinationRuleParser()),
  SERVICE(ResourceKind.SERVICE, "", List.of("v1"), Names::checkDns1035Label, new ServiceParser()),
  WORKLOAD_ENTRY(ResourceKind.WORKLOAD_ENTRY, "networking.istio.io",
      List.of("v1alpha3", "v1beta1", "v1"), Names::checkDns1123Subdomain,
      new WorkloadEntryParser()),
  MESH_CONFIG(ResourceKind.MESH_CONFIG, "weft.dev", List.of("v1alpha1"), name -> Optional.empty(),
      new MeshConfigParser());

  private final ResourceKind kind;
  private final String group;
  private final List<String> versions;
  private final Function<String, Optional<String>> nameCheck;
  private final SpecParser parser;

  SupportedKind(ResourceKind kind, String group, List<String> versions,
      Function<String, Optional<String>> nameCheck, SpecParser parser) {
    this.kind = kind;
    this.group = group;
    this.versions = versions;
    this.nameCheck = nameCheck;
    this.parser = parser;
  }

  /** The kind named {@code kind}, if Weft reads it. */
  static Optional<SupportedKind> named(String kind) {
    return Stream.of(values()).filter(k -> k.kind.kind().equals(kind)).findFirst();
  }

  ResourceKind kind() {
    return kind;
  }

  /** The apiVersions accepted, such as {@code security.istio.io/v1}. */
  List<String> apiVersions() {
    return versions.stream().map(v -> group.isEmpty() ? v : group + "/" + v).toList();
  }

  /**
   * Whether {@code apiVersion} belongs to another API that has a kind of the same name, such as
   * Knative's {@code serving.knative.dev/v1} Service. Only core kinds are recognised so: for a
   * distinctive Istio or Weft kind a strange apiVersion is more likely a mistake.
   */
  boolean isOtherApis(String apiVersion) {
    return group.isEmpty() && apiVersion.contains("/");
  }

  /** What is wrong with {@code name} as this kind's {@code metadata.name}, if anything. */
  Optional<String> checkName(String name) {
    return nameCheck.apply(name);
  }

  SpecParser parser() {
    return parser;
  }
}
