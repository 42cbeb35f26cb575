package dev.weft.policy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The outcome of resolving Istio policy over a registry: what each workload's ports accept, and
 * per client how each Service port is reached. Built by {@link PolicyResolver}; safe to share
 * between threads.
 */
public final class ResolvedPolicy {
  private final MeshConfig meshConfig;
  private final Map<String, Service> servicesByHost;
  private final Map<Workload, WorkloadInbound> inbound;
  private final List<String> warnings;
  private final PolicyResolver resolver;
  private final Map<String, ClientOutbound> outboundByClientClass = new ConcurrentHashMap<>();
  private final Function<Workload, String> clientClass;

  ResolvedPolicy(PolicyResolver resolver, Map<String, Service> servicesByHost,
      Map<Workload, WorkloadInbound> inbound, List<String> warnings,
      Function<Workload, String> clientClass) {
    this.resolver = resolver;
    this.meshConfig = resolver.meshConfig();
    this.servicesByHost = Map.copyOf(servicesByHost);
    this.inbound = Map.copyOf(inbound);
    this.warnings = List.copyOf(warnings);
    this.clientClass = clientClass;
  }

  /** The mesh settings it was resolved with. */
  public MeshConfig meshConfig() {
    return meshConfig;
  }

  /** Policies that were ignored, and why: newer duplicates, rules that match nothing. */
  public List<String> warnings() {
    return warnings;
  }

  /** What {@code workload}'s inbound ports accept; computed now if it was not registered. */
  public WorkloadInbound inbound(Workload workload) {
    WorkloadInbound known = inbound.get(workload);
    return known != null ? known : resolver.inbound(workload);
  }

  /** The namespace-level mode of {@code namespace}, which auto mTLS reads for its Services. */
  public InboundDecision namespaceLevel(String namespace) {
    return resolver.namespaceLevel(namespace);
  }

  /** How {@code client} reaches every Service port; computed once per kind of client. */
  public ClientOutbound outbound(Workload client) {
    return outboundByClientClass.computeIfAbsent(
        clientClass.apply(client), key -> resolver.outbound(client, this));
  }

  /** The Service with FQDN {@code host}. */
  public Optional<Service> service(String host) {
    return Optional.ofNullable(servicesByHost.get(host));
  }

  /** Every Service. */
  public Collection<Service> services() {
    return servicesByHost.values();
  }

  /** Every registered workload. */
  public Collection<Workload> workloads() {
    return inbound.keySet();
  }
}
