package dev.weft.policy;

import java.util.Map;
import java.util.Objects;

/**
 * Istio's {@code PeerAuthentication}: what a workload's inbound ports accept.
 *
 * @param meta identity and creation order
 * @param selector {@code selector.matchLabels}; empty for a mesh- or namespace-wide policy
 * @param mode {@code mtls.mode}; {@link MtlsMode#UNSET} when absent
 * @param portLevelMtls per container (target) port overrides; only with a selector
 */
public record PeerAuthentication(
    ResourceMeta meta, Map<String, String> selector, MtlsMode mode,
    Map<Integer, MtlsMode> portLevelMtls) {

  public PeerAuthentication {
    Objects.requireNonNull(meta, "meta");
    selector = Map.copyOf(selector);
    Objects.requireNonNull(mode, "mode");
    portLevelMtls = Map.copyOf(portLevelMtls);
  }

  /** Whether the policy names workloads rather than a whole namespace or mesh. */
  public boolean hasSelector() {
    return !selector.isEmpty();
  }
}
