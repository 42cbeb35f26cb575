package dev.weft.policy;

import java.util.List;
import java.util.Objects;

/** Every resource in force: the input of policy resolution. */
public record MeshResources(
    MeshConfig meshConfig, List<PeerAuthentication> peerAuthentications,
    List<DestinationRule> destinationRules, List<Service> services,
    List<WorkloadEntry> workloadEntries) {
  /** Nothing configured: the defaults. */
  public static final MeshResources EMPTY =
      new MeshResources(MeshConfig.DEFAULT, List.of(), List.of(), List.of(), List.of());

  public MeshResources {
    Objects.requireNonNull(meshConfig, "meshConfig");
    peerAuthentications = List.copyOf(peerAuthentications);
    destinationRules = List.copyOf(destinationRules);
    services = List.copyOf(services);
    workloadEntries = List.copyOf(workloadEntries);
  }
}
