package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Istio YAML tests write into a local mesh folder: documents for the usual shapes, and an
 * atomic write of a whole configuration, as an editor or a ConfigMap mount replaces it.
 */
public final class MeshYaml {
  private MeshYaml() {}

  /** Writes {@code documents} as the folder's whole configuration, atomically. */
  public static void write(Path folder, String... documents) {
    try {
      Path temp = folder.resolve(".mesh.yaml.tmp");
      Files.writeString(temp, String.join("---\n", documents));
      Files.move(temp, folder.resolve("mesh.yaml"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the mesh configuration in " + folder, e);
    }
  }

  /** Service {@code name} in {@code namespace}, selecting {@code app: name}: port {@code http} 8000, target port 80. */
  public static String service(String name, String namespace) {
    return service(name, namespace, "http", 8000, 80);
  }

  /** Service {@code name} in {@code namespace}, selecting {@code app: name}, with one port. */
  public static String service(String name, String namespace, String portName, int port,
      int targetPort) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {app: %s}
          ports: [{name: %s, port: %d, targetPort: %d}]
        """.formatted(name, namespace, name, portName, port, targetPort);
  }

  /**
   * An endpoint of Service {@code app} at 127.0.0.1:{@code port} running as
   * {@code serviceAccount}; a {@code meshEndpoint} speaks mesh mTLS (auto mTLS sends it mTLS).
   */
  public static String workloadEntry(String name, String namespace, String app,
      String serviceAccount, int port, boolean meshEndpoint) {
    return workloadEntry(name, namespace, app, serviceAccount, "http", port, meshEndpoint);
  }

  /** Like {@link #workloadEntry(String, String, String, String, int, boolean)}, for the Service port {@code portName}. */
  public static String workloadEntry(String name, String namespace, String app,
      String serviceAccount, String portName, int port, boolean meshEndpoint) {
    return """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: %s, namespace: %s}
        spec:
          address: 127.0.0.1
          labels: {app: %s%s}
          serviceAccount: %s
          ports: {%s: %d}
        """.formatted(name, namespace, app,
        meshEndpoint ? ", security.istio.io/tlsMode: istio" : "", serviceAccount, portName, port);
  }

  /** A workload-level PeerAuthentication of {@code app} in {@code namespace}. */
  public static String peerAuthentication(String namespace, String app, Object mode) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {app: %s}}
          mtls: {mode: %s}
        """.formatted(app, namespace, app, mode);
  }

  /** The namespace-level PeerAuthentication of {@code namespace}. */
  public static String namespacePeerAuthentication(String namespace, Object mode) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: %s}
        spec: {mtls: {mode: %s}}
        """.formatted(namespace, mode);
  }

  /** A DestinationRule {@code name} in {@code namespace} for {@code host}, with a YAML trafficPolicy. */
  public static String destinationRule(String name, String namespace, String host,
      String trafficPolicy) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s, namespace: %s}
        spec:
          host: %s
          trafficPolicy: %s
        """.formatted(name, namespace, host, trafficPolicy);
  }
}
