package dev.weft.policy;

import java.util.Map;
import java.util.Objects;

/**
 * Istio's {@code WorkloadEntry}: a workload declared in configuration. It runs Weft (or a
 * sidecar) when its labels carry {@code security.istio.io/tlsMode: istio}.
 */
public record WorkloadEntry(
    ResourceMeta meta, String address, Map<String, String> labels, String serviceAccount,
    Map<String, Integer> ports) {

  public WorkloadEntry {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(address, "address");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    ports = Map.copyOf(ports);
  }

  /** This entry as a workload of the registry. */
  public Workload toWorkload() {
    return new Workload(meta.namespace(), meta.name(), labels, serviceAccount,
        Workload.TLS_MODE_ISTIO.equals(labels.get(Workload.TLS_MODE_LABEL)), ports, true);
  }
}
