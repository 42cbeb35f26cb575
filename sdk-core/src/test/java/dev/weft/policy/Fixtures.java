package dev.weft.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Terse builders for policy resources, created in the order they are built. */
final class Fixtures {
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Instant LOADED = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static ResourceMeta meta(ResourceKind kind, String namespace, String name) {
    return new ResourceMeta(new ResourceId(kind, namespace, name), LOADED, false,
        SEQUENCE.incrementAndGet(), "test");
  }

  static ResourceMeta metaAt(ResourceKind kind, String namespace, String name, String created) {
    return new ResourceMeta(new ResourceId(kind, namespace, name), Instant.parse(created), true,
        SEQUENCE.incrementAndGet(), "test");
  }

  static PeerAuthentication pa(String namespace, String name, MtlsMode mode) {
    return new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, namespace, name),
        Map.of(), mode, Map.of());
  }

  static PeerAuthentication pa(String namespace, String name, Map<String, String> selector,
      MtlsMode mode, Map<Integer, MtlsMode> ports) {
    return new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, namespace, name),
        selector, mode, ports);
  }

  static DestinationRule dr(String namespace, String name, String host, TlsMode mode) {
    return dr(namespace, name, host, List.of(), Map.of(),
        new TrafficPolicy(Optional.empty(), Optional.of(ClientTls.of(mode)), List.of()));
  }

  static DestinationRule dr(String namespace, String name, String host, List<String> exportTo,
      Map<String, String> selector, TrafficPolicy policy, Subset... subsets) {
    return new DestinationRule(meta(ResourceKind.DESTINATION_RULE, namespace, name), host,
        exportTo, selector, Optional.ofNullable(policy), List.of(subsets));
  }

  static TrafficPolicy tls(TlsMode mode, PortTrafficPolicy... ports) {
    return new TrafficPolicy(Optional.empty(), Optional.of(ClientTls.of(mode)), List.of(ports));
  }

  static TrafficPolicy noTls(PortTrafficPolicy... ports) {
    return new TrafficPolicy(Optional.empty(), Optional.empty(), List.of(ports));
  }

  static PortTrafficPolicy port(int port, TlsMode mode) {
    return new PortTrafficPolicy(port, Optional.empty(), Optional.of(ClientTls.of(mode)));
  }

  static PortTrafficPolicy portLoadBalancer(int port, LoadBalancer loadBalancer) {
    return new PortTrafficPolicy(port, Optional.of(loadBalancer), Optional.empty());
  }

  /** The standard topology's Service: port 8000 named http, to container port 80. */
  static Service httpbinService(String namespace) {
    return new Service(meta(ResourceKind.SERVICE, namespace, "httpbin"), Map.of("app", "httpbin"),
        List.of(new ServicePort("http", 8000, TargetPort.number(80))));
  }

  static Workload httpbin(String namespace, boolean weft) {
    return new Workload(namespace, "httpbin", Map.of("app", "httpbin"), "httpbin", weft,
        Map.of("http", 80));
  }

  static Workload sleep(String namespace, boolean weft) {
    return new Workload(namespace, "sleep", Map.of("app", "sleep"), "sleep", weft, Map.of());
  }

  static String host(String namespace) {
    return "httpbin." + namespace + ".svc.cluster.local";
  }

  /** Resources under construction. */
  static final class Mesh {
    MeshConfig meshConfig = MeshConfig.DEFAULT;
    final List<PeerAuthentication> pas = new ArrayList<>();
    final List<DestinationRule> drs = new ArrayList<>();
    final List<Service> services = new ArrayList<>();
    final List<Workload> workloads = new ArrayList<>();

    Mesh with(PeerAuthentication... policies) {
      pas.addAll(List.of(policies));
      return this;
    }

    Mesh with(DestinationRule... rules) {
      drs.addAll(List.of(rules));
      return this;
    }

    /** httpbin and sleep in {@code namespace}, with or without Weft, and the httpbin Service. */
    Mesh namespace(String namespace, boolean weft) {
      services.add(httpbinService(namespace));
      workloads.add(httpbin(namespace, weft));
      workloads.add(sleep(namespace, weft));
      return this;
    }

    /** The workload {@code name} of {@code namespace}, with {@code policy} as its own. */
    Mesh authored(String namespace, String name, WorkloadPolicy policy) {
      workloads.replaceAll(w -> w.namespace().equals(namespace) && w.name().equals(name)
          ? w.withAuthoredPolicy(policy) : w);
      return this;
    }

    /** The registered workload {@code name} of {@code namespace}. */
    Workload workload(String namespace, String name) {
      return workloads.stream()
          .filter(w -> w.namespace().equals(namespace) && w.name().equals(name))
          .findFirst().orElseThrow();
    }

    Mesh compatibility(Compatibility compatibility) {
      meshConfig = meshConfig.withCompatibility(compatibility);
      return this;
    }

    ResolvedPolicy resolve() {
      return PolicyResolver.resolve(
          new MeshResources(meshConfig, pas, drs, services, List.of()), workloads);
    }
  }
}
