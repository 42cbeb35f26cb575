package dev.weft.policy.internal;

import dev.weft.policy.Because;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.policy.WorkloadPolicy.AuthoredPeerAuthentication;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * PeerAuthentications by scope, as Istio composes them: one mesh policy (root namespace, no
 * selector), one per namespace, and per workload the oldest whose selector matches; the oldest
 * wins at each level and the rest are ignored with a warning.
 */
public final class PeerAuthenticationIndex {
  private final String rootNamespace;
  private final PeerAuthentication mesh;
  private final Map<String, PeerAuthentication> byNamespace = new HashMap<>();
  private final Map<String, List<PeerAuthentication>> withSelectorByNamespace = new HashMap<>();
  private final Map<String, InboundDecision> namespaceLevel = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  public PeerAuthenticationIndex(List<PeerAuthentication> policies, String rootNamespace) {
    this.rootNamespace = rootNamespace;
    List<PeerAuthentication> oldestFirst = new ArrayList<>(policies);
    oldestFirst.sort(Comparator.comparing(PeerAuthentication::meta, ResourceMeta.CREATION_ORDER));
    PeerAuthentication meshPolicy = null;
    Map<String, PeerAuthentication> namespaceWide = new TreeMap<>();
    for (PeerAuthentication policy : oldestFirst) {
      String namespace = policy.meta().namespace();
      boolean root = namespace.equals(rootNamespace);
      if (policy.hasSelector()) {
        if (root) {
          warnings.add(policy.meta().id() + " is ignored: a PeerAuthentication with a selector in"
              + " the root namespace " + rootNamespace + " applies to no workload");
        } else {
          withSelectorByNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).add(policy);
        }
        continue;
      }
      PeerAuthentication older = root ? meshPolicy : namespaceWide.get(namespace);
      if (older != null) {
        warnings.add(policy.meta().id() + " is ignored: the " + (root ? "mesh" : "namespace")
            + "-level policy " + older.meta().id() + " is older");
      } else if (root) {
        meshPolicy = policy;
      } else {
        namespaceWide.put(namespace, policy);
      }
    }
    this.mesh = meshPolicy;
    byNamespace.putAll(namespaceWide);
  }

  /** Policies that are ignored, and why. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The namespace-level mode of {@code namespace}: its namespace policy over the mesh policy,
   * PERMISSIVE when neither sets one. Auto mTLS reads this for a Service's namespace.
   */
  public InboundDecision namespaceLevel(String namespace) {
    return namespaceLevel.computeIfAbsent(namespace, n -> {
      Composition composition = new Composition();
      composition.apply(mesh, "mesh-level");
      if (!n.equals(rootNamespace)) {
        composition.apply(byNamespace.get(n), "namespace-level");
      }
      return composition.decision();
    });
  }

  /**
   * What each port of {@code workload} accepts: the mesh-, namespace- and workload-level
   * policies, where the policy the workload authored stands in for a workload-level one when no
   * PeerAuthentication selects it; then {@code @RequireMutualTls} raises what is weaker than
   * STRICT.
   */
  public Map.Entry<InboundDecision, Map<Integer, InboundDecision>> inbound(Workload workload) {
    Composition composition = new Composition();
    composition.apply(mesh, "mesh-level");
    PeerAuthentication workloadPolicy = null;
    if (!workload.namespace().equals(rootNamespace)) {
      composition.apply(byNamespace.get(workload.namespace()), "namespace-level");
      workloadPolicy = workloadLevel(workload).orElse(null);
      composition.apply(workloadPolicy, "workload-level");
    }
    WorkloadPolicy authoredPolicy = workload.authoredPolicy();
    Optional<AuthoredPeerAuthentication> authored = authoredPolicy.peerAuthentication();
    Map<Integer, MtlsMode> portLevel = Map.of();
    Function<String, Because> from = Because::of;
    if (workloadPolicy != null) {
      ResourceId id = workloadPolicy.meta().id();
      portLevel = workloadPolicy.portLevelMtls();
      from = reason -> Because.of(id, reason);
      authored.ifPresent(pa -> composition.overridden(Because.of(pa.origin() + ": "
          + pa.mode() + " is overridden by " + id + ", which selects " + workload)));
    } else if (authored.isPresent()) {
      String origin = authored.get().origin();
      portLevel = authored.get().portLevelMtls();
      from = reason -> Because.of(origin + ": " + reason);
      composition.apply(authored.get().mode(), from, "workload-level");
    }
    InboundDecision workloadWide = composition.decision();
    Map<Integer, InboundDecision> byPort = new HashMap<>();
    for (Map.Entry<Integer, MtlsMode> port : new TreeMap<>(portLevel).entrySet()) {
      if (port.getValue() == MtlsMode.UNSET) {
        List<Because> because = new ArrayList<>(workloadWide.because());
        because.add(from.apply(
            "port " + port.getKey() + " UNSET, inherits " + workloadWide.mode()));
        byPort.put(port.getKey(), new InboundDecision(workloadWide.mode(), because));
      } else {
        List<Because> because = new ArrayList<>();
        because.add(from.apply("port-level " + port.getValue() + " on port " + port.getKey()));
        because.addAll(workloadWide.because());
        byPort.put(port.getKey(), new InboundDecision(port.getValue(), because));
      }
    }
    Optional<String> floor = authoredPolicy.mutualTlsRequiredBy();
    if (floor.isPresent()) {
      workloadWide = MutualTlsFloor.raise(workloadWide, floor.get());
      byPort.replaceAll((port, decision) -> MutualTlsFloor.raise(decision, floor.get()));
    }
    return Map.entry(workloadWide, byPort);
  }

  /** The workload-level PeerAuthentication of {@code workload}: the oldest that selects it. */
  public Optional<PeerAuthentication> workloadLevel(Workload workload) {
    for (PeerAuthentication policy :
        withSelectorByNamespace.getOrDefault(workload.namespace(), List.of())) {
      if (workload.matches(policy.selector())) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }

  /** Mesh, then namespace, then workload: each level that sets a mode overrides the ones above. */
  private static final class Composition {
    private static final Because DEFAULT =
        Because.of("no PeerAuthentication sets a mode: PERMISSIVE by default");

    private MtlsMode mode = MtlsMode.PERMISSIVE;
    private Because decider = DEFAULT;
    private final List<Because> others = new ArrayList<>();

    void apply(PeerAuthentication policy, String level) {
      if (policy != null) {
        ResourceId id = policy.meta().id();
        apply(policy.mode(), reason -> Because.of(id, reason), level);
      }
    }

    void apply(MtlsMode policyMode, Function<String, Because> from, String level) {
      if (policyMode == MtlsMode.UNSET) {
        others.add(from.apply(level + " UNSET, inherits"));
        return;
      }
      if (decider != DEFAULT) {
        others.add(decider);
      }
      mode = policyMode;
      decider = from.apply(level + " " + mode);
    }

    /** A policy that would have applied here, but another overrides it. */
    void overridden(Because because) {
      others.add(because);
    }

    InboundDecision decision() {
      List<Because> because = new ArrayList<>();
      because.add(decider);
      because.addAll(others);
      return new InboundDecision(mode, because);
    }
  }
}
