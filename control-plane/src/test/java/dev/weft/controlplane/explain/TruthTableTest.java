package dev.weft.controlplane.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.ClientTls;
import dev.weft.policy.Compatibility;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.MeshResources;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.TlsMode;
import dev.weft.policy.TrafficPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the truth table of an Istio sidecar mesh (HTTP app on a plaintext port), for
 * both compatibility levels. Rows: what the client is told to send; columns: what the server's
 * port accepts.
 */
class TruthTableTest {
  private static long sequence;

  /** Rows: the client; columns: the server port (none = no Weft); as docs state them. */
  private static final String TABLE = """
      client        NONE    STRICT  PERMISSIVE  DISABLE
      NO_MESH       PT      000     PT          PT
      AUTO          PT      MTLS    MTLS        PT
      DISABLE       PT      503     PT          PT
      SIMPLE        503     503     503         503
      ISTIO_MUTUAL  503     MTLS    MTLS        503
      MUTUAL        503     503     503         503
      """;

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    List<String> rows = TABLE.lines().toList();
    String[] columns = rows.get(0).trim().split("\\s+");
    for (String compatibility : List.of("latest", "1.9")) {
      for (String row : rows.subList(1, rows.size())) {
        String[] cell = row.trim().split("\\s+");
        for (int c = 1; c < cell.length; c++) {
          cells.add(Arguments.of(Client.valueOf(cell[0]), Server.valueOf(columns[c]),
              compatibility, cell[c]));
        }
      }
    }
    // Footnote *: namespace DISABLE with workload STRICT fails in every version.
    cells.add(Arguments.of(Client.AUTO, Server.NAMESPACE_DISABLE_WORKLOAD_STRICT, "latest", "503"));
    cells.add(Arguments.of(Client.AUTO, Server.NAMESPACE_DISABLE_WORKLOAD_STRICT, "1.9", "503"));
    // Footnote †: DISABLE only on the workload or port: plaintext in latest, 503 in 1.9.
    cells.add(Arguments.of(Client.AUTO, Server.WORKLOAD_DISABLE, "latest", "PT"));
    cells.add(Arguments.of(Client.AUTO, Server.WORKLOAD_DISABLE, "1.9", "503"));
    cells.add(Arguments.of(Client.AUTO, Server.PORT_DISABLE, "latest", "PT"));
    cells.add(Arguments.of(Client.AUTO, Server.PORT_DISABLE, "1.9", "503"));
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} client, {1} server, Istio {2}: {3}")
  @MethodSource("cells")
  void cell(Client client, Server server, String compatibility, String expected) {
    List<PeerAuthentication> pas = new ArrayList<>();
    List<DestinationRule> drs = new ArrayList<>();
    server.configure(pas);
    client.configure(drs);
    MeshConfig meshConfig = MeshConfig.DEFAULT.withCompatibility(Compatibility.parse(compatibility));
    StandardTopology topology = new StandardTopology(List.of("client", "server"),
        mesh(client != Client.NO_MESH, server != Server.NONE));

    Prediction prediction = new RequestPredictor(PolicyResolver.resolve(
            new MeshResources(meshConfig, pas, drs, topology.services(), List.of()),
            topology.workloads()))
        .predict(topology.sleep("client"), "httpbin.server", 8000).get(0);

    Outcome outcome = prediction.outcome();
    String actual = outcome.succeeded() ? (outcome.mtls() ? "MTLS" : "PT") : outcome.status();
    assertThat(actual).as(outcome.reason()).isEqualTo(expected);
  }

  private static Set<String> mesh(boolean client, boolean server) {
    Set<String> mesh = new java.util.HashSet<>();
    if (client) {
      mesh.add("client");
    }
    if (server) {
      mesh.add("server");
    }
    return mesh;
  }

  enum Client {
    NO_MESH, AUTO, DISABLE, SIMPLE, ISTIO_MUTUAL, MUTUAL;

    void configure(List<DestinationRule> drs) {
      if (this == NO_MESH || this == AUTO) {
        return;
      }
      ClientTls tls = this == MUTUAL
          ? new ClientTls(TlsMode.MUTUAL, Optional.of("/etc/certs/cert.pem"),
              Optional.of("/etc/certs/key.pem"), Optional.empty(), Optional.empty(), List.of(),
              Optional.empty(), false)
          : ClientTls.of(TlsMode.valueOf(name()));
      drs.add(new DestinationRule(meta(ResourceKind.DESTINATION_RULE, "server", "httpbin"),
          "httpbin.server.svc.cluster.local", List.of(), Map.of(), Optional.of(
              new TrafficPolicy(Optional.empty(), Optional.of(tls), List.of())), List.of()));
    }
  }

  enum Server {
    NONE, STRICT, PERMISSIVE, DISABLE, NAMESPACE_DISABLE_WORKLOAD_STRICT, WORKLOAD_DISABLE,
    PORT_DISABLE;

    void configure(List<PeerAuthentication> pas) {
      switch (this) {
        case STRICT:
        case DISABLE:
          pas.add(namespacePolicy(MtlsMode.valueOf(name())));
          break;
        case NAMESPACE_DISABLE_WORKLOAD_STRICT:
          pas.add(namespacePolicy(MtlsMode.DISABLE));
          pas.add(workloadPolicy(MtlsMode.STRICT, Map.of()));
          break;
        case WORKLOAD_DISABLE:
          pas.add(namespacePolicy(MtlsMode.STRICT));
          pas.add(workloadPolicy(MtlsMode.DISABLE, Map.of()));
          break;
        case PORT_DISABLE:
          pas.add(workloadPolicy(MtlsMode.STRICT, Map.of(80, MtlsMode.DISABLE)));
          break;
        default:
          break;
      }
    }
  }

  private static PeerAuthentication namespacePolicy(MtlsMode mode) {
    return new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, "server", "default"),
        Map.of(), mode, Map.of());
  }

  private static PeerAuthentication workloadPolicy(MtlsMode mode, Map<Integer, MtlsMode> ports) {
    return new PeerAuthentication(meta(ResourceKind.PEER_AUTHENTICATION, "server", "httpbin"),
        Map.of("app", "httpbin"), mode, ports);
  }

  private static ResourceMeta meta(ResourceKind kind, String namespace, String name) {
    return new ResourceMeta(new ResourceId(kind, namespace, name), Instant.EPOCH, false,
        sequence++, "test");
  }
}
