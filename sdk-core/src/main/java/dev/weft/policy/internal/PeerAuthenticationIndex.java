package dev.weft.policy.internal;

import dev.weft.policy.Because;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /** What each port of {@code workload} accepts. */
  public Map.Entry<InboundDecision, Map<Integer, InboundDecision>> inbound(Workload workload) {
    Composition composition = new Composition();
    composition.apply(mesh, "mesh-level");
    PeerAuthentication workloadPolicy = null;
    if (!workload.namespace().equals(rootNamespace)) {
      composition.apply(byNamespace.get(workload.namespace()), "namespace-level");
      workloadPolicy = oldestMatching(workload);
      composition.apply(workloadPolicy, "workload-level");
    }
    InboundDecision workloadWide = composition.decision();
    Map<Integer, InboundDecision> byPort = new HashMap<>();
    if (workloadPolicy != null) {
      for (Map.Entry<Integer, MtlsMode> port : workloadPolicy.portLevelMtls().entrySet()) {
        if (port.getValue() == MtlsMode.UNSET) {
          List<Because> because = new ArrayList<>(workloadWide.because());
          because.add(Because.of(workloadPolicy.meta().id(),
              "port " + port.getKey() + " UNSET, inherits " + workloadWide.mode()));
          byPort.put(port.getKey(), new InboundDecision(workloadWide.mode(), because));
        } else {
          List<Because> because = new ArrayList<>();
          because.add(Because.of(workloadPolicy.meta().id(),
              "port-level " + port.getValue() + " on port " + port.getKey()));
          because.addAll(workloadWide.because());
          byPort.put(port.getKey(), new InboundDecision(port.getValue(), because));
        }
      }
    }
    return Map.entry(workloadWide, byPort);
  }

  private PeerAuthentication oldestMatching(Workload workload) {
    for (PeerAuthentication policy :
        withSelectorByNamespace.getOrDefault(workload.namespace(), List.of())) {
      if (workload.matches(policy.selector())) {
        return policy;
      }
    }
    return null;
  }

  /** Mesh, then namespace, then workload: each level that sets a mode overrides the ones above. */
  private static final class Composition {
    private static final Because DEFAULT =
        Because.of("no PeerAuthentication sets a mode: PERMISSIVE by default");

    private MtlsMode mode = MtlsMode.PERMISSIVE;
    private Because decider = DEFAULT;
    private final List<Because> others = new ArrayList<>();

    void apply(PeerAuthentication policy, String level) {
      if (policy == null) {
        return;
      }
      if (policy.mode() == MtlsMode.UNSET) {
        others.add(Because.of(policy.meta().id(), level + " UNSET, inherits"));
        return;
      }
      if (decider != DEFAULT) {
        others.add(decider);
      }
      mode = policy.mode();
      decider = Because.of(policy.meta().id(), level + " " + mode);
    }

    InboundDecision decision() {
      List<Because> because = new ArrayList<>();
      because.add(decider);
      because.addAll(others);
      return new InboundDecision(mode, because);
    }
  }
}
