package dev.weft.policy;

import dev.weft.annotation.PortMtls;
import dev.weft.annotation.RequireMutualTls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Istio policy a workload authors for itself with the annotations of
 * {@code dev.weft.annotation}: a PeerAuthentication for its inbound ports, DestinationRules for
 * its own calls, and a floor of mutual TLS, each naming where it was declared.
 *
 * <p>The Weft control plane, and a {@code Mesh} on a local folder, resolve it with the
 * configuration. {@code @PeerAuthentication} overrides namespace- and mesh-level
 * PeerAuthentication, and a control-plane PeerAuthentication whose selector matches the
 * workload overrides it; its port-level entries name container ports. {@code @DestinationRule}
 * overrides, for this workload's calls only, the DestinationRules of every namespace for its
 * host, and a control-plane rule for the same host whose workloadSelector matches the workload
 * overrides it. {@code @RequireMutualTls} raises every inbound port weaker than STRICT to
 * STRICT, after everything else, and clients choosing auto mTLS send it mTLS.
 *
 * <p>Against istiod only {@code @RequireMutualTls} is enforced, by the workload itself on what
 * istiod sends: istiod ignores what a workload says of its own policy, and its listeners do not
 * say which PeerAuthentication level a mode came from, so neither the precedence of
 * {@code @PeerAuthentication} nor {@code @DestinationRule} can be applied there.
 *
 * @param peerAuthentication the authored PeerAuthentication, if any
 * @param destinationRules the authored DestinationRules, at most one per host
 * @param mutualTlsRequiredBy where {@code @RequireMutualTls} was declared, if it was, e.g.
 *     {@code @RequireMutualTls on com.example.App}
 */
public record WorkloadPolicy(
    Optional<AuthoredPeerAuthentication> peerAuthentication,
    List<AuthoredDestinationRule> destinationRules, Optional<String> mutualTlsRequiredBy) {
  /** A workload that authored nothing. */
  public static final WorkloadPolicy NONE =
      new WorkloadPolicy(Optional.empty(), List.of(), Optional.empty());

  public WorkloadPolicy {
    Objects.requireNonNull(peerAuthentication, "peerAuthentication");
    destinationRules = List.copyOf(destinationRules);
    Objects.requireNonNull(mutualTlsRequiredBy, "mutualTlsRequiredBy");
    Map<String, AuthoredDestinationRule> byHost = new HashMap<>();
    for (AuthoredDestinationRule rule : destinationRules) {
      AuthoredDestinationRule other = byHost.putIfAbsent(rule.host(), rule);
      if (other != null) {
        throw new IllegalArgumentException("two DestinationRules for host " + rule.host() + ": "
            + other.origin() + " and " + rule.origin());
      }
    }
  }

  /**
   * A PeerAuthentication a workload authored, e.g. with {@code @PeerAuthentication}.
   *
   * @param mode {@code mtls.mode}; UNSET inherits
   * @param portLevelMtls per container (target) port overrides
   * @param origin where it was declared, e.g. {@code @PeerAuthentication on com.example.App}
   */
  public record AuthoredPeerAuthentication(
      MtlsMode mode, Map<Integer, MtlsMode> portLevelMtls, String origin) {

    public AuthoredPeerAuthentication {
      Objects.requireNonNull(mode, "mode");
      portLevelMtls = Map.copyOf(portLevelMtls);
      Objects.requireNonNull(origin, "origin");
      for (int port : portLevelMtls.keySet()) {
        portProblem(port).ifPresent(problem -> {
          throw new IllegalArgumentException(origin + ": portLevelMtls " + problem);
        });
      }
    }

    /** For example {@code @PeerAuthentication on com.example.App: STRICT, port 9090 DISABLE}. */
    @Override
    public String toString() {
      StringBuilder text = new StringBuilder(origin).append(": ").append(mode);
      new TreeMap<>(portLevelMtls).forEach((port, portMode) ->
          text.append(", port ").append(port).append(' ').append(portMode));
      return text.toString();
    }
  }

  /**
   * A DestinationRule a workload authored for its own calls, e.g. with
   * {@code @DestinationRule}.
   *
   * @param host the host as a DestinationRule names it: short names are relative to the
   *     workload's namespace
   * @param tls how the workload originates TLS to it
   * @param origin where it was declared, e.g. {@code @DestinationRule on com.example.Client}
   */
  public record AuthoredDestinationRule(String host, ClientTls tls, String origin) {

    public AuthoredDestinationRule {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(origin, "origin");
      hostProblem(host).or(() -> tlsProblem(tls)).ifPresent(problem -> {
        throw new IllegalArgumentException(origin + ": " + problem);
      });
    }

    /** For example {@code @DestinationRule on com.example.Client: host httpbin, tls DISABLE}. */
    @Override
    public String toString() {
      return origin + ": host " + host + ", tls " + tls.mode();
    }
  }

  /**
   * The policy the annotations on {@code classes} declare: {@code @PeerAuthentication} on at
   * most one of them, {@code @DestinationRule} at most once per host, {@code @RequireMutualTls}
   * on any.
   *
   * @throws IllegalArgumentException naming the class and the value that cannot be used
   */
  public static WorkloadPolicy fromAnnotations(Collection<Class<?>> classes) {
    Objects.requireNonNull(classes, "classes");
    Optional<AuthoredPeerAuthentication> peerAuthentication = Optional.empty();
    String peerAuthenticationClass = null;
    Map<String, AuthoredDestinationRule> rules = new LinkedHashMap<>();
    Map<String, String> ruleClasses = new HashMap<>();
    List<String> requiring = new ArrayList<>();
    for (Class<?> type : new LinkedHashSet<>(classes)) {
      Objects.requireNonNull(type, "a class");
      String name = type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
      dev.weft.annotation.PeerAuthentication pa =
          type.getAnnotation(dev.weft.annotation.PeerAuthentication.class);
      if (pa != null) {
        if (peerAuthenticationClass != null) {
          throw new IllegalArgumentException(name + ": @PeerAuthentication is also declared"
              + " on " + peerAuthenticationClass
              + "; a workload authors one PeerAuthentication, so keep one");
        }
        String problem = check(pa).orElse(null);
        if (problem != null) {
          throw new IllegalArgumentException(name + ": @PeerAuthentication " + problem);
        }
        Map<Integer, MtlsMode> ports = new HashMap<>();
        for (PortMtls port : pa.portLevelMtls()) {
          ports.put(port.port(), port.mode());
        }
        peerAuthentication = Optional.of(
            new AuthoredPeerAuthentication(pa.mode(), ports, "@PeerAuthentication on " + name));
        peerAuthenticationClass = name;
      }
      for (dev.weft.annotation.DestinationRule dr :
          type.getAnnotationsByType(dev.weft.annotation.DestinationRule.class)) {
        String problem = check(dr).orElse(null);
        if (problem != null) {
          throw new IllegalArgumentException(name + ": @DestinationRule(host = \"" + dr.host()
              + "\") " + problem);
        }
        String other = ruleClasses.putIfAbsent(dr.host(), name);
        if (other != null) {
          throw new IllegalArgumentException(name + ": @DestinationRule(host = \"" + dr.host()
              + "\") is declared twice, " + (other.equals(name) ? "on this class"
              : "also on " + other) + "; a workload authors one rule per host");
        }
        rules.put(dr.host(), new AuthoredDestinationRule(dr.host(), clientTls(dr.tls()),
            "@DestinationRule on " + name));
      }
      if (type.isAnnotationPresent(RequireMutualTls.class)) {
        requiring.add(name);
      }
    }
    return new WorkloadPolicy(peerAuthentication, List.copyOf(rules.values()),
        requiring.isEmpty() ? Optional.empty()
            : Optional.of("@RequireMutualTls on " + String.join(", ", requiring)));
  }

  /**
   * What is wrong with {@code annotation} on its own, if anything: a port-level entry without
   * a port, outside 1..65535 or repeated. For a compile-time check as well.
   */
  public static Optional<String> check(dev.weft.annotation.PeerAuthentication annotation) {
    Objects.requireNonNull(annotation, "annotation");
    Set<Integer> seen = new HashSet<>();
    PortMtls[] ports = annotation.portLevelMtls();
    for (int i = 0; i < ports.length; i++) {
      Optional<String> problem = portProblem(ports[i].port());
      if (problem.isPresent()) {
        return Optional.of("portLevelMtls[" + i + "] (mode " + ports[i].mode() + ") "
            + problem.get());
      }
      if (!seen.add(ports[i].port())) {
        return Optional.of("portLevelMtls names port " + ports[i].port() + " twice");
      }
    }
    return Optional.empty();
  }

  /**
   * What is wrong with {@code annotation} on its own, if anything: an empty host, MUTUAL
   * without a client certificate and key, ISTIO_MUTUAL with certificate files. For a
   * compile-time check as well.
   */
  public static Optional<String> check(dev.weft.annotation.DestinationRule annotation) {
    Objects.requireNonNull(annotation, "annotation");
    return hostProblem(annotation.host()).or(() -> tlsProblem(clientTls(annotation.tls())));
  }

  /** Whether the workload authored nothing. */
  public boolean isEmpty() {
    return peerAuthentication.isEmpty() && destinationRules.isEmpty()
        && mutualTlsRequiredBy.isEmpty();
  }

  /** Whether {@code @RequireMutualTls} was declared. */
  public boolean requiresMutualTls() {
    return mutualTlsRequiredBy.isPresent();
  }

  /** One line per authored policy, each with its origin, for status and logs. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    peerAuthentication.ifPresent(pa -> lines.add(pa.toString()));
    destinationRules.forEach(rule -> lines.add(rule.toString()));
    mutualTlsRequiredBy.ifPresent(lines::add);
    return lines;
  }

  /** For example {@code @RequireMutualTls on com.example.App}, or {@code nothing authored}. */
  @Override
  public String toString() {
    return isEmpty() ? "nothing authored" : String.join("; ", describe());
  }

  private static ClientTls clientTls(dev.weft.annotation.ClientTls tls) {
    return new ClientTls(tls.mode(), text(tls.clientCertificate()), text(tls.privateKey()),
        text(tls.caCertificates()), Optional.empty(), List.of(tls.subjectAltNames()),
        text(tls.sni()), false);
  }

  private static Optional<String> text(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static Optional<String> portProblem(int port) {
    if (port == 0) {
      return Optional.of("has no port; set port to the container port it is for");
    }
    if (port < 1 || port > 65535) {
      return Optional.of("port " + port + " is not in 1..65535");
    }
    return Optional.empty();
  }

  private static Optional<String> hostProblem(String host) {
    return host.isBlank() ? Optional.of("host is empty; name the host the rule is for")
        : Optional.empty();
  }

  private static Optional<String> tlsProblem(ClientTls tls) {
    if (tls.mode() == TlsMode.MUTUAL) {
      List<String> missing = new ArrayList<>();
      tls.clientCertificate().ifPresentOrElse(f -> { }, () -> missing.add("clientCertificate"));
      tls.privateKey().ifPresentOrElse(f -> { }, () -> missing.add("privateKey"));
      if (!missing.isEmpty()) {
        return Optional.of("tls mode MUTUAL needs clientCertificate and privateKey; "
            + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
            + " missing");
      }
    }
    if (tls.mode() == TlsMode.ISTIO_MUTUAL) {
      List<String> given = new ArrayList<>();
      tls.clientCertificate().ifPresent(f -> given.add("clientCertificate"));
      tls.privateKey().ifPresent(f -> given.add("privateKey"));
      tls.caCertificates().ifPresent(f -> given.add("caCertificates"));
      if (!given.isEmpty()) {
        return Optional.of("tls mode ISTIO_MUTUAL uses the workload's mesh certificate; remove "
            + String.join(", ", given) + " or use MUTUAL");
      }
    }
    return Optional.empty();
  }
}
