package dev.weft.policy;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A workload of the mesh registry: what policy resolution needs to know about it.
 *
 * @param namespace its namespace
 * @param name a name unique in the namespace
 * @param labels its labels, which selectors match
 * @param serviceAccount its service account, which names its SPIFFE ID
 * @param meshEnabled whether it runs Weft or a sidecar, so it speaks mesh mTLS
 * @param namedPorts container ports by name, for Services whose targetPort is a name; for a
 *     WorkloadEntry, its {@code ports}
 * @param workloadEntry whether it is a WorkloadEntry, whose {@code ports} are keyed by the
 *     Service port's name
 * @param authoredPolicy the policy the workload authored for itself, which resolution weighs
 *     against the configuration
 */
public record Workload(
    String namespace, String name, Map<String, String> labels, String serviceAccount,
    boolean meshEnabled, Map<String, Integer> namedPorts, boolean workloadEntry,
    WorkloadPolicy authoredPolicy) {
  /** The pod label Istio's injector sets on workloads with a sidecar. */
  public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
  /** Its value for workloads that speak mesh mTLS. */
  public static final String TLS_MODE_ISTIO = "istio";

  public Workload {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    namedPorts = Map.copyOf(namedPorts);
    Objects.requireNonNull(authoredPolicy, "authoredPolicy");
  }

  /** A workload that authored no policy of its own. */
  public Workload(String namespace, String name, Map<String, String> labels,
      String serviceAccount, boolean meshEnabled, Map<String, Integer> namedPorts,
      boolean workloadEntry) {
    this(namespace, name, labels, serviceAccount, meshEnabled, namedPorts, workloadEntry,
        WorkloadPolicy.NONE);
  }

  /** A workload that is not a WorkloadEntry: a pod, or a process that registered itself. */
  public Workload(String namespace, String name, Map<String, String> labels,
      String serviceAccount, boolean meshEnabled, Map<String, Integer> namedPorts) {
    this(namespace, name, labels, serviceAccount, meshEnabled, namedPorts, false);
  }

  /** This workload with {@code policy} as the policy it authored. */
  public Workload withAuthoredPolicy(WorkloadPolicy policy) {
    return new Workload(namespace, name, labels, serviceAccount, meshEnabled, namedPorts,
        workloadEntry, policy);
  }

  /**
   * The port this workload takes {@code port}'s traffic on; empty if it takes none. A pod
   * resolves the targetPort as Kubernetes does; a WorkloadEntry, as istiod does, takes its
   * {@code ports} entry named like the Service port first, and skips a named targetPort it
   * does not list.
   */
  public OptionalInt endpointPort(ServicePort port) {
    Integer byServicePortName = namedPorts.get(port.name());
    if (workloadEntry && port.targetPort().number() != 0 && byServicePortName != null) {
      return OptionalInt.of(byServicePortName);
    }
    return port.targetPort().resolve(namedPorts);
  }

  /** The workload's identity in {@code trustDomain}: {@code spiffe://<td>/ns/<ns>/sa/<sa>}. */
  public SpiffeId spiffeId(TrustDomain trustDomain) {
    return SpiffeId.forServiceAccount(trustDomain, namespace, serviceAccount);
  }

  /** Whether {@code selector} picks this workload: every selector label has the same value. */
  public boolean matches(Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** For example {@code sleep.foo}. */
  @Override
  public String toString() {
    return name + "." + namespace;
  }
}
