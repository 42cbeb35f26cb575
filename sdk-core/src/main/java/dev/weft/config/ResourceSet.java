package dev.weft.config;

import dev.weft.policy.DestinationRule;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.Service;
import dev.weft.policy.WorkloadEntry;
import java.util.ArrayList;
import java.util.List;

/** The resources one load accepted, in the order they were read. */
final class ResourceSet {
  private MeshConfig meshConfig = MeshConfig.DEFAULT;
  private final List<PeerAuthentication> peerAuthentications = new ArrayList<>();
  private final List<DestinationRule> destinationRules = new ArrayList<>();
  private final List<Service> services = new ArrayList<>();
  private final List<WorkloadEntry> workloadEntries = new ArrayList<>();

  void add(MeshConfig config) {
    meshConfig = config;
  }

  void add(PeerAuthentication peerAuthentication) {
    peerAuthentications.add(peerAuthentication);
  }

  void add(DestinationRule destinationRule) {
    destinationRules.add(destinationRule);
  }

  void add(Service service) {
    services.add(service);
  }

  void add(WorkloadEntry workloadEntry) {
    workloadEntries.add(workloadEntry);
  }

  /** Everything accepted; the default MeshConfig if no document gave one. */
  MeshResources toMeshResources() {
    return new MeshResources(
        meshConfig, peerAuthentications, destinationRules, services, workloadEntries);
  }
}
