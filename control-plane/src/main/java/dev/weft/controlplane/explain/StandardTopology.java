package dev.weft.controlplane.explain;

import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshResources;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.TargetPort;
import dev.weft.policy.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The topology the scenarios are observed on: in every namespace a workload {@code httpbin}
 * (container port 80) behind Service {@code httpbin} (port 8000, named http) and a workload
 * {@code sleep}; the namespaces in the mesh run both with Weft, the others with none.
 */
public record StandardTopology(List<String> namespaces, Set<String> mesh) {
  /** The Service port clients call. */
  public static final int SERVICE_PORT = 8000;
  /** The container port httpbin listens on. */
  public static final int CONTAINER_PORT = 80;

  public StandardTopology {
    namespaces = List.copyOf(namespaces);
    mesh = Set.copyOf(mesh);
    if (namespaces.isEmpty()) {
      throw new IllegalArgumentException("the topology needs at least one namespace");
    }
    for (String namespace : mesh) {
      if (!namespaces.contains(namespace)) {
        throw new IllegalArgumentException(
            "mesh namespace " + namespace + " is not one of the namespaces " + namespaces);
      }
    }
  }

  /** The httpbin Service of every namespace. */
  public List<Service> services() {
    List<Service> services = new ArrayList<>();
    long sequence = 0;
    for (String namespace : namespaces) {
      services.add(new Service(
          new ResourceMeta(new ResourceId(ResourceKind.SERVICE, namespace, "httpbin"),
              Instant.EPOCH, false, sequence++, "the standard topology"),
          Map.of("app", "httpbin"),
          List.of(new ServicePort("http", SERVICE_PORT, TargetPort.number(CONTAINER_PORT)))));
    }
    return services;
  }

  /**
   * {@code resources} with the topology's Services added where the configuration has none of
   * the same host, and the auto-mTLS rules of {@code compatibility}.
   */
  public MeshResources withServices(MeshResources resources, Compatibility compatibility) {
    List<Service> all = new ArrayList<>(resources.services());
    Set<String> configured = new HashSet<>();
    all.forEach(service -> configured.add(service.host()));
    for (Service service : services()) {
      if (!configured.contains(service.host())) {
        all.add(service);
      }
    }
    return new MeshResources(resources.meshConfig().withCompatibility(compatibility),
        resources.peerAuthentications(), resources.destinationRules(), all,
        resources.workloadEntries());
  }

  /** httpbin and sleep of every namespace. */
  public List<Workload> workloads() {
    List<Workload> workloads = new ArrayList<>();
    for (String namespace : namespaces) {
      workloads.add(httpbin(namespace));
      workloads.add(sleep(namespace));
    }
    return workloads;
  }

  /** The httpbin workload of {@code namespace}. */
  public Workload httpbin(String namespace) {
    return workload(namespace, "httpbin", Map.of("http", CONTAINER_PORT));
  }

  /** The sleep workload of {@code namespace}. */
  public Workload sleep(String namespace) {
    return workload(namespace, "sleep", Map.of());
  }

  private Workload workload(String namespace, String name, Map<String, Integer> ports) {
    Objects.requireNonNull(namespace, "namespace");
    return new Workload(namespace, name, Map.of("app", name), name, mesh.contains(namespace),
        ports);
  }
}
