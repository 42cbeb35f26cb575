package dev.weft.benchmarks;

import dev.weft.controlplane.ControlPlane;
import dev.weft.identity.SpiffeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The main class a {@link ControlPlaneProcess} runs: a Weft control plane serving {@link
 * SyntheticMesh} with WorkloadEntries as endpoints. Arguments: services, endpoints per service,
 * PeerAuthentications, DestinationRules, and the directory to write to.
 */
public final class SyntheticControlPlane {
  private SyntheticControlPlane() {}

  public static void main(String[] args) throws Exception {
    SyntheticMesh mesh = new SyntheticMesh(Integer.parseInt(args[0]),
        Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    Path directory = Path.of(args[4]);
    try (ControlPlane controlPlane = ControlPlane.newBuilder()
        .resources(mesh.withWorkloadEntries())
        .stateDirectory(directory.resolve(ControlPlaneProcess.STATE_DIRECTORY))
        .port(0).debounce(Duration.ofMillis(10)).build().start()) {
      SpiffeId client = SpiffeId.forServiceAccount(
          controlPlane.certificateAuthority().trustDomain(), SyntheticMesh.CLIENT_NAMESPACE,
          SyntheticMesh.CLIENT);
      controlPlane.tokens().writeTokenFile(client,
          directory.resolve(ControlPlaneProcess.TOKEN_FILE));
      Properties join = new Properties();
      join.setProperty("port", Integer.toString(controlPlane.port()));
      join.setProperty("trustDomain", controlPlane.certificateAuthority().trustDomain().name());
      ControlPlaneProcess.writeJoinFile(directory, join);
      ControlPlaneProcess.awaitParentDone();
    }
  }
}
