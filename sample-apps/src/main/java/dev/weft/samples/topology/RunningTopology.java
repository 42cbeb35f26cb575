package dev.weft.samples.topology;

import dev.weft.cert.internal.Pem;
import dev.weft.controlplane.ControlPlane;
import dev.weft.controlplane.explain.MatrixPredictor.Show;
import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshResources;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.WorkloadEntry;
import dev.weft.samples.sleep.SleepClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The standard topology, running in this process: the embedded control plane and, in every
 * namespace, httpbin behind Service {@code httpbin} and sleep; with Weft in the mesh
 * namespaces, with no Weft code at all in the others. Configuration changes apply live.
 */
public final class RunningTopology implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);

  private final StandardTopology topology;
  private final Protocol protocol;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, InetSocketAddress> httpbins = new LinkedHashMap<>();
  private final Map<String, MatrixClient> sleeps = new LinkedHashMap<>();
  private final List<WorkloadEntry> legacyEndpoints = new ArrayList<>();
  private final Workloads workloads = new TopologyWorkloads();
  private Path tokens;
  private ControlPlane controlPlane;

  private RunningTopology(StandardTopology topology, Protocol protocol) {
    this.topology = topology;
    this.protocol = protocol;
  }

  /**
   * Starts everything with {@code config} in force and returns once every mesh workload has
   * acknowledged it and knows its routes to every httpbin.
   *
   * @param progress told what is happening, a line at a time
   */
  public static RunningTopology start(StandardTopology topology, MeshResources config,
      Compatibility compatibility, Consumer<String> progress)
      throws IOException, InterruptedException {
    return start(topology, Protocol.HTTP, config, compatibility, progress);
  }

  /**
   * Like {@link #start(StandardTopology, MeshResources, Compatibility, Consumer)}, speaking
   * {@code protocol}: over gRPC the greeter serves as httpbin and its client calls as sleep,
   * under the same names, so the same configuration applies.
   */
  public static RunningTopology start(StandardTopology topology, Protocol protocol,
      MeshResources config, Compatibility compatibility, Consumer<String> progress)
      throws IOException, InterruptedException {
    RunningTopology running = new RunningTopology(topology, protocol);
    try {
      running.startAll(config, compatibility, progress);
    } catch (IOException | InterruptedException | RuntimeException e) {
      running.close();
      throw e;
    }
    return running;
  }

  private void startAll(MeshResources config, Compatibility compatibility,
      Consumer<String> progress) throws IOException, InterruptedException {
    tokens = Files.createTempDirectory("weft-topology-");
    for (String namespace : topology.namespaces()) {
      if (!topology.mesh().contains(namespace)) {
        startLegacyHttpbin(namespace);
      }
    }
    controlPlane = ControlPlane.newBuilder()
        .resources(resourcesFor(config, compatibility))
        .port(0)
        .registrationGrace(Duration.ofSeconds(1))
        .debounce(Duration.ofMillis(10))
        .build()
        .start();
    resources.add(controlPlane);
    progress.accept("control plane serving on " + LOOPBACK + ":" + controlPlane.port());
    for (String namespace : topology.namespaces()) {
      if (topology.mesh().contains(namespace)) {
        startWeftHttpbin(namespace);
      }
    }
    for (String namespace : topology.namespaces()) {
      startSleep(namespace);
    }
    progress.accept("httpbin and sleep running in " + topology.namespaces()
        + (topology.mesh().isEmpty() ? "" : ", with Weft in " + topology.namespaces().stream()
            .filter(topology.mesh()::contains).toList()));
    awaitInSync();
  }

  /** Puts {@code config} in force, live, and returns once every mesh workload acknowledged it. */
  public void apply(MeshResources config, Compatibility compatibility)
      throws InterruptedException {
    controlPlane.update(resourcesFor(config, compatibility));
    awaitInSync();
  }

  /** {@code sleep.<from> to httpbin.<to>: <result>} for every pair, in namespace order. */
  public List<String> matrix(Show show) {
    List<String> lines = new ArrayList<>();
    for (String from : topology.namespaces()) {
      for (String to : topology.namespaces()) {
        lines.add("sleep." + from + " to httpbin." + to + ": " + call(from, to, show).value());
      }
    }
    return lines;
  }

  /** What sleep in {@code from} gets calling httpbin in {@code to}. */
  public SleepClient.Result call(String from, String to, Show show) {
    String host = "httpbin." + to;
    MatrixClient sleep = sleeps.get(from);
    return show == Show.IDENTITY ? sleep.identity(host, StandardTopology.SERVICE_PORT)
        : sleep.call(host, StandardTopology.SERVICE_PORT);
  }

  /** The embedded control plane. */
  public ControlPlane controlPlane() {
    return controlPlane;
  }

  private void awaitInSync() throws InterruptedException {
    if (!controlPlane.awaitInSync(SYNC_TIMEOUT)) {
      throw new IllegalStateException("the mesh workloads did not acknowledge the configuration"
          + " within " + SYNC_TIMEOUT.toSeconds() + " s; see 'weft status'");
    }
  }

  private MeshResources resourcesFor(MeshResources config, Compatibility compatibility) {
    MeshResources withServices = topology.withServices(config, compatibility);
    List<WorkloadEntry> entries = new ArrayList<>(withServices.workloadEntries());
    entries.addAll(legacyEndpoints);
    return new MeshResources(withServices.meshConfig(), withServices.peerAuthentications(),
        withServices.destinationRules(), withServices.services(), entries);
  }

  /** A legacy httpbin is no mesh workload, so the mesh knows it as a Kubernetes endpoint. */
  private void startLegacyHttpbin(String namespace) throws IOException, InterruptedException {
    Protocol.Server server = protocol.legacyHttpbin(new InetSocketAddress(LOOPBACK, 0));
    resources.add(server.application());
    httpbins.put(namespace, new InetSocketAddress(LOOPBACK, server.port()));
    legacyEndpoints.add(new WorkloadEntry(
        new ResourceMeta(new ResourceId(ResourceKind.WORKLOAD_ENTRY, namespace, "httpbin"),
            Instant.EPOCH, false, legacyEndpoints.size(), "the standard topology"),
        LOOPBACK, Map.of("app", "httpbin"), "httpbin",
        Map.of("http", server.port())));
  }

  private void startWeftHttpbin(String namespace) throws IOException, InterruptedException {
    // The workload tells the control plane where container port 80 listens before it does.
    InetSocketAddress address = LoopbackPorts.reserve();
    resources.add(protocol.weftHttpbin(workloads, namespace, address));
    httpbins.put(namespace, address);
  }

  private void startSleep(String namespace) throws IOException, InterruptedException {
    MatrixClient client;
    if (topology.mesh().contains(namespace)) {
      client = protocol.weftSleep(workloads, namespace);
    } else {
      // As kube-proxy would: a plain client reaches a Service's endpoint by its address.
      Map<String, InetSocketAddress> routes = new LinkedHashMap<>();
      httpbins.forEach((to, address) ->
          routes.put("httpbin." + to + ":" + StandardTopology.SERVICE_PORT, address));
      client = protocol.legacySleep(routes);
    }
    resources.add(client);
    sleeps.put(namespace, client);
  }

  /** Joins workloads to this topology's control plane. */
  private final class TopologyWorkloads implements Workloads {
    @Override
    public Map<String, Object> weftProperties(String namespace, String name) throws IOException {
      SpiffeId identity = SpiffeId.forServiceAccount(
          controlPlane.certificateAuthority().trustDomain(), namespace, name);
      Path token = tokens.resolve(name + "." + namespace + ".token");
      controlPlane.tokens().writeTokenFile(identity, token);
      Path roots = tokens.resolve("root-cert.pem");
      if (!Files.exists(roots)) {
        Files.writeString(roots, Pem.write(controlPlane.certificateAuthority().rootCertificates()));
      }
      return Map.of("weft.namespace", namespace, "weft.service-account", name,
          "weft.labels.app", name,
          "weft.control-plane", LOOPBACK + ":" + controlPlane.port(),
          "weft.root-certificates", roots.toString(), "weft.token-file", token.toString(),
          "weft.trust-domain", controlPlane.certificateAuthority().trustDomain().name(),
          "weft.startup-timeout", SYNC_TIMEOUT.toSeconds() + "s");
    }

    @Override
    public Mesh join(String namespace, String name, Consumer<Mesh.Builder> ports)
        throws IOException {
      SpiffeId identity = SpiffeId.forServiceAccount(
          controlPlane.certificateAuthority().trustDomain(), namespace, name);
      Path token = tokens.resolve(name + "." + namespace + ".token");
      controlPlane.tokens().writeTokenFile(identity, token);
      Mesh.Builder builder = Mesh.builder().namespace(namespace).serviceAccount(name)
          .labels(Map.of("app", name))
          .controlPlane(LOOPBACK + ":" + controlPlane.port())
          .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
          .tokenFile(token)
          .trustDomain(controlPlane.certificateAuthority().trustDomain())
          .startupTimeout(SYNC_TIMEOUT);
      ports.accept(builder);
      Mesh mesh = builder.build().start();
      resources.add(mesh);
      return mesh;
    }

    @Override
    public void awaitRoutes(Mesh mesh) throws InterruptedException {
      for (String to : topology.namespaces()) {
        mesh.awaitOutboundRoute("httpbin." + to, StandardTopology.SERVICE_PORT, ROUTE_TIMEOUT);
      }
    }
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // Closing the rest matters more than this one.
      }
    }
    resources.clear();
    if (tokens != null) {
      try (Stream<Path> files = Files.walk(tokens)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
