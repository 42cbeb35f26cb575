package dev.weft.policy;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.util.Map;
import java.util.Objects;

/**
 * A workload of the mesh registry: what policy resolution needs to know about it.
 *
 * @param namespace its namespace
 * @param name a name unique in the namespace
 * @param labels its labels, which selectors match
 * @param serviceAccount its service account, which names its SPIFFE ID
 * @param meshEnabled whether it runs Weft or a sidecar, so it speaks mesh mTLS
 * @param namedPorts container ports by name, for Services whose targetPort is a name
 */
public record Workload(
    String namespace, String name, Map<String, String> labels, String serviceAccount,
    boolean meshEnabled, Map<String, Integer> namedPorts) {
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
