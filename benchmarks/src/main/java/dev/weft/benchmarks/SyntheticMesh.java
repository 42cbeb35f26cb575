package dev.weft.benchmarks;

import dev.weft.policy.ClientTls;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.MeshResources;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.PortTrafficPolicy;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.TargetPort;
import dev.weft.policy.TlsMode;
import dev.weft.policy.TrafficPolicy;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A large mesh for benchmarks: services spread over namespaces, each with endpoints, and a mix
 * of mesh-, namespace-, workload- and port-level PeerAuthentications and of exact, wildcard,
 * private and port-level DestinationRules.
 */
final class SyntheticMesh {
  static final int SERVICE_PORT = 8000;
  static final int CONTAINER_PORT = 8080;
  /** The namespace and service account of {@link #client}. */
  static final String CLIENT_NAMESPACE = "ns-0";
  static final String CLIENT = "client";

  final MeshResources resources;
  final List<Workload> workloads;
  final Workload client;

  private long sequence;

  SyntheticMesh(int services, int endpointsPerService, int peerAuthentications,
      int destinationRules) {
    int namespaces = Math.max(1, services / 10);
    List<Service> serviceList = new ArrayList<>();
    List<Workload> workloadList = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      String namespace = namespace(s, services);
      String app = "svc-" + s;
      serviceList.add(new Service(meta(ResourceKind.SERVICE, namespace, app), Map.of("app", app),
          List.of(new ServicePort("http", SERVICE_PORT, TargetPort.number(CONTAINER_PORT)))));
      for (int e = 0; e < endpointsPerService; e++) {
        workloadList.add(new Workload(namespace, app + "-" + e,
            Map.of("app", app, "version", "v" + (e % 2)), app, e % 10 != 9, Map.of()));
      }
    }
    client = new Workload(CLIENT_NAMESPACE, CLIENT, Map.of("app", CLIENT), CLIENT, true,
        Map.of());
    workloadList.add(client);

    List<PeerAuthentication> pas = new ArrayList<>();
    pas.add(new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, "istio-system",
        "default"), Map.of(), MtlsMode.STRICT, Map.of()));
    MtlsMode[] modes = {MtlsMode.PERMISSIVE, MtlsMode.DISABLE, MtlsMode.UNSET, MtlsMode.STRICT};
    for (int p = 1; p < peerAuthentications; p++) {
      if (p < peerAuthentications / 5) {
        pas.add(new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, "ns-" + p,
            "default"), Map.of(), modes[p % modes.length], Map.of()));
      } else {
        int s = (p * 7) % services;
        pas.add(new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION,
            "ns-" + (s % namespaces), "pa-" + p), Map.of("app", "svc-" + s),
            modes[p % modes.length],
            p % 3 == 0 ? Map.of(CONTAINER_PORT, MtlsMode.DISABLE) : Map.of()));
      }
    }

    List<DestinationRule> drs = new ArrayList<>();
    for (int d = 0; d < destinationRules; d++) {
      int s = (d * 13) % services;
      String namespace = "ns-" + (s % namespaces);
      String host = "svc-" + s + "." + namespace + ".svc.cluster.local";
      TrafficPolicy policy;
      List<String> exportTo = List.of();
      switch (d % 5) {
        case 0:
          policy = tls(TlsMode.DISABLE, List.of());
          break;
        case 1:
          policy = tls(TlsMode.ISTIO_MUTUAL, List.of());
          break;
        case 2:
          host = "*." + namespace + ".svc.cluster.local";
          policy = tls(TlsMode.ISTIO_MUTUAL, List.of());
          break;
        case 3:
          exportTo = List.of(".");
          policy = tls(TlsMode.SIMPLE, List.of());
          break;
        default:
          policy = new TrafficPolicy(Optional.of(LoadBalancer.ROUND_ROBIN), Optional.empty(),
              List.of(new PortTrafficPolicy(SERVICE_PORT, Optional.of(LoadBalancer.RANDOM),
                  Optional.of(ClientTls.of(TlsMode.DISABLE)))));
          break;
      }
      drs.add(new DestinationRule(meta(ResourceKind.DESTINATION_RULE, namespace, "dr-" + d), host,
          exportTo, Map.of(), Optional.of(policy), List.of()));
    }
    resources = new MeshResources(MeshConfig.DEFAULT, pas, drs, serviceList, List.of());
    workloads = workloadList;
  }

  /**
   * The same mesh with its endpoints declared as WorkloadEntries (each at an address of its own
   * in 10.0.0.0/8) rather than registered, so that a control plane or a local configuration has
   * them without any workload connecting; {@link #client} is not among them.
   */
  MeshResources withWorkloadEntries() {
    List<WorkloadEntry> entries = new ArrayList<>();
    for (Workload workload : workloads) {
      if (workload == client) {
        continue;
      }
      Map<String, String> labels = new HashMap<>(workload.labels());
      if (workload.meshEnabled()) {
        labels.put(Workload.TLS_MODE_LABEL, Workload.TLS_MODE_ISTIO);
      }
      int index = entries.size() + 1;
      String address = "10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "."
          + (index & 255);
      entries.add(new WorkloadEntry(meta(ResourceKind.WORKLOAD_ENTRY, workload.namespace(),
          workload.name()), address, labels, workload.serviceAccount(), Map.of()));
    }
    return new MeshResources(resources.meshConfig(), resources.peerAuthentications(),
        resources.destinationRules(), resources.services(), entries);
  }

  /** The host of every Service of a mesh of {@code services}, as a client names it. */
  static List<String> hosts(int services) {
    List<String> hosts = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      hosts.add("svc-" + s + "." + namespace(s, services) + "." + Service.DOMAIN_SUFFIX);
    }
    return hosts;
  }

  private static String namespace(int service, int services) {
    return "ns-" + service % Math.max(1, services / 10);
  }

  private static TrafficPolicy tls(TlsMode mode, List<PortTrafficPolicy> ports) {
    return new TrafficPolicy(Optional.empty(), Optional.of(ClientTls.of(mode)), ports);
  }

  private ResourceMeta meta(ResourceKind kind, String namespace, String name) {
    return new ResourceMeta(new ResourceId(kind, namespace, name), Instant.EPOCH, false,
        sequence++, "synthetic");
  }
}
