package dev.weft.micronaut.processor;

import io.micronaut.core.annotation.AnnotationValue;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What makes Weft's policy annotations invalid, as messages a compiler prints at the
 * annotation: each names the annotation, the member and what is wrong with its value.
 */
final class PolicyAnnotationChecks {
  static final String PACKAGE = "dev.weft.annotation.";
  static final String PEER_AUTHENTICATION = PACKAGE + "PeerAuthentication";
  static final String DESTINATION_RULE = PACKAGE + "DestinationRule";
  static final String DESTINATION_RULES = PACKAGE + "DestinationRules";
  static final String REQUIRE_MUTUAL_TLS = PACKAGE + "RequireMutualTls";

  private PolicyAnnotationChecks() {}

  /** The problems of one {@code @PeerAuthentication}. */
  static List<String> peerAuthentication(AnnotationValue<?> annotation) {
    List<String> problems = new ArrayList<>();
    Set<Integer> ports = new HashSet<>();
    List<AnnotationValue<Annotation>> portLevel = annotation.getAnnotations("portLevelMtls");
    for (int i = 0; i < portLevel.size(); i++) {
      String where = "@PeerAuthentication portLevelMtls[" + i + "]";
      OptionalInt port = portLevel.get(i).intValue("port");
      if (port.isEmpty() || port.getAsInt() == 0) {
        problems.add(where + " has no port: say which container port, "
            + "@PortMtls(port = 8081, mode = DISABLE)");
      } else if (port.getAsInt() < 1 || port.getAsInt() > 65535) {
        problems.add(where + ".port must be 1..65535, not " + port.getAsInt());
      } else if (!ports.add(port.getAsInt())) {
        problems.add(where + " repeats port " + port.getAsInt());
      }
      if (portLevel.get(i).stringValue("mode").orElse("UNSET").equals("UNSET")) {
        problems.add(where + " has no mode: a port-level entry must say STRICT, PERMISSIVE or"
            + " DISABLE");
      }
    }
    return problems;
  }

  /** The problems of the {@code @DestinationRule}s on one element. */
  static List<String> destinationRules(List<AnnotationValue<Annotation>> rules) {
    List<String> problems = new ArrayList<>();
    Set<String> hosts = new HashSet<>();
    for (AnnotationValue<Annotation> rule : rules) {
      String host = rule.stringValue("host").orElse("").trim();
      String where = "@DestinationRule(host = \"" + host + "\")";
      if (host.isEmpty()) {
        problems.add("@DestinationRule has an empty host: name the service, like "
            + "\"httpbin.bar.svc.cluster.local\"");
        continue;
      }
      if (!hosts.add(host)) {
        problems.add(where + " appears twice: one rule per host");
      }
      rule.getAnnotation("tls").ifPresent(tls -> {
        String mode = tls.stringValue("mode").orElse("");
        boolean certificate = !tls.stringValue("clientCertificate").orElse("").isBlank();
        boolean key = !tls.stringValue("privateKey").orElse("").isBlank();
        if (mode.equals("MUTUAL") && !(certificate && key)) {
          problems.add(where + " tls mode MUTUAL needs clientCertificate and privateKey"
              + " (for the workload's own mesh certificate, use ISTIO_MUTUAL)");
        }
        if (mode.equals("ISTIO_MUTUAL") && (certificate || key
            || !tls.stringValue("caCertificates").orElse("").isBlank())) {
          problems.add(where + " tls mode ISTIO_MUTUAL uses the workload's mesh certificate;"
              + " clientCertificate, privateKey and caCertificates must be empty");
        }
      });
    }
    return problems;
  }
}
