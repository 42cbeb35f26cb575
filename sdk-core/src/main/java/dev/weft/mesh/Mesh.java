package dev.weft.mesh;

import dev.weft.cert.CertificateSource;
import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.IstioCaClient;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.cert.internal.Pem;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.internal.CallCredentialsInterceptor;
import dev.weft.mesh.internal.LocalAuthority;
import dev.weft.mesh.internal.LocalPolicy;
import dev.weft.mesh.internal.SharedXds;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.WorkloadXdsState;
import dev.weft.xds.internal.XdsMultiplexer;
import dev.weft.xds.internal.XdsSnapshot;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload's mesh agent, in its own process: its identity and certificate, and the policy of
 * the mesh compiled into tables the HTTP and gRPC stacks read on every connection. It talks to
 * istiod or the Weft control plane over one xDS stream, or, with no control plane, runs the same
 * translation in-process over a folder of Istio YAML.
 */
public final class Mesh implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mesh.class);
  /** The version Weft sends in its node metadata. */
  public static final String VERSION = "0.1.0";

  private enum State { NEW, STARTED, CLOSED }

  private final Builder settings;
  private final WorkloadNode node;
  private final SpiffeId identity;
  private final Object updates = new Object();
  private final List<Consumer<XdsSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final Map<Runnable, Consumer<XdsSnapshot>> applicationListeners =
      new ConcurrentHashMap<>();
  private volatile State state = State.NEW;
  private WorkloadCertificates certificates;
  private WorkloadXdsState xds;
  private SharedXds shared;
  private LocalPolicy local;

  private Mesh(Builder settings) {
    this.settings = settings;
    this.identity = SpiffeId.forServiceAccount(settings.trustDomain, settings.namespace,
        settings.serviceAccount);
    Map<Integer, HostAndPort> bindings = new TreeMap<>();
    // An IP where there is one: grpc-java's xDS takes only IPs as endpoint addresses.
    settings.ports.forEach((port, bound) -> bound.ifPresent(address -> bindings.put(port,
        new HostAndPort(address.isUnresolved() ? address.getHostString()
            : address.getAddress().getHostAddress(), address.getPort()))));
    this.node = new WorkloadNode(
        WorkloadNode.nodeId(settings.instanceIp, settings.workloadName, settings.namespace),
        settings.namespace, settings.workloadName, settings.labels, settings.serviceAccount,
        List.of(settings.instanceIp), settings.clusterId, Map.of(), Optional.of(VERSION),
        bindings, settings.workloadPolicy);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder filled from the environment Istio's injector gives a pod: {@code POD_NAMESPACE},
   * {@code SERVICE_ACCOUNT}, {@code POD_NAME}, {@code INSTANCE_IP}, {@code ISTIO_META_CLUSTER_ID},
   * {@code ISTIO_METAJSON_LABELS}, {@code TRUST_DOMAIN}, {@code CA_ADDR}; {@code XDS_ADDR} names
   * the control plane, verified with {@code XDS_ROOT_CA} (else {@code CA_ROOT_CA}, else the
   * mounted {@code /var/run/secrets/istio/root-cert.pem}) and authenticated with the mounted
   * {@code /var/run/secrets/tokens/istio-token} (or {@code WEFT_TOKEN_FILE}). Without {@code XDS_ADDR}, {@code WEFT_CONFIG_DIR}
   * names a folder of Istio YAML to run on locally. What is unset keeps the builder's default,
   * and the ports served are still the caller's to add.
   *
   * @throws IllegalArgumentException naming the variable or file whose value cannot be used
   */
  public static Builder fromEnvironment() {
    return new IstioEnvironment(System.getenv(), Path.of("/")).apply(builder());
  }

  /**
   * Fetches the certificate, connects to the control plane (or translates the local folder)
   * and waits, at most the startup timeout, for the policy of every port the workload serves.
   * A port whose policy has not arrived refuses connections until it does.
   */
  public synchronized Mesh start() throws IOException {
    if (state == State.STARTED) {
      throw new IllegalStateException("the mesh of " + identity + " is already started");
    }
    checkNotClosed();
    state = State.STARTED;
    try {
      certificates = WorkloadCertificates.newBuilder(certificateSource())
          .startupTimeout(settings.startupTimeout).build().start();
      connectXds();
      settings.ports.keySet().forEach(xds::watchInbound);
      awaitInboundPolicies();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    log.info("{} joined the mesh: {}", identity, settings.describe());
    return this;
  }

  /** The workload's SPIFFE ID. */
  public SpiffeId identity() {
    return identity;
  }

  /** Where the mesh gets its policy and certificate from, for logs. */
  String describeSettings() {
    return settings.describe();
  }

  /** What the workload tells the control plane about itself. */
  WorkloadNode node() {
    return node;
  }

  /** The workload's xDS stream, to share with other xDS clients of this process. */
  XdsMultiplexer xdsMultiplexer() {
    checkStarted();
    return shared != null ? shared.multiplexer() : local.multiplexer();
  }

  /** The workload's certificates, kept fresh. */
  public WorkloadCertificates certificates() {
    checkStarted();
    return certificates;
  }

  /** What container port {@code port} accepts; empty until its policy arrived (refuse meanwhile). */
  public Optional<InboundPolicy> inboundPolicy(int port) {
    checkStarted();
    return Optional.ofNullable(xds.snapshot().inbound().get(port));
  }

  /**
   * How to reach {@code host:port}; asked of the control plane on first use, empty until the
   * answer arrives or when there is no such service.
   */
  public Optional<OutboundRoute> outboundRoute(String host, int port) {
    checkStarted();
    OutboundRoute route = xds.snapshot().outbound().get(host + ":" + port);
    if (route == null) {
      xds.watchOutbound(host, port);
      route = xds.snapshot().outbound().get(host + ":" + port);
    }
    return Optional.ofNullable(route);
  }

  /**
   * Like {@link #outboundRoute}, waiting up to {@code timeout} for the answer; at once empty when
   * the control plane said there is no such service (the Weft control plane says so; istiod
   * does not, so against istiod a host outside the mesh takes the whole timeout).
   */
  public Optional<OutboundRoute> awaitOutboundRoute(String host, int port, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long seen = xds.snapshot().version();
      Optional<OutboundRoute> route = outboundRoute(host, port);
      if (route.isPresent() || !Instant.now().isBefore(deadline)
          || xds.snapshot().absent().containsKey(host + ":" + port)) {
        return route;
      }
      awaitChangeFrom(seen, deadline);
    }
  }

  /** Waits until the snapshot is newer than {@code version}, or the deadline. */
  private void awaitChangeFrom(long version, Instant deadline) throws InterruptedException {
    synchronized (updates) {
      while (xds.snapshot().version() == version && Instant.now().isBefore(deadline)) {
        updates.wait(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
      }
    }
  }

  /** Calls {@code listener} after every change of policy. */
  public void addListener(Runnable listener) {
    checkStarted();
    Consumer<XdsSnapshot> consumer = snapshot -> listener.run();
    if (applicationListeners.putIfAbsent(listener, consumer) == null) {
      listen(consumer);
    }
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Runnable listener) {
    Consumer<XdsSnapshot> consumer = applicationListeners.remove(listener);
    if (consumer != null) {
      listeners.remove(consumer);
      if (xds != null) {
        xds.removeListener(consumer);
      }
    }
  }

  /** Leaves the mesh: closes the stream (when no other mesh of this workload uses it). */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (xds != null) {
      listeners.forEach(xds::removeListener);
    }
    if (shared != null) {
      shared.release();
    }
    if (local != null) {
      local.close();
    }
    if (certificates != null) {
      certificates.close();
    }
  }

  private CertificateSource certificateSource() throws CertificateSourceException {
    if (settings.certificateSource != null) {
      return settings.certificateSource;
    }
    if (settings.localConfig != null) {
      return LocalAuthority.of(settings.trustDomain).sourceFor(identity, settings.keyAlgorithm,
          settings.certificateTtl);
    }
    IstioCaClient.Builder ca = IstioCaClient.newBuilder()
        .address(settings.caAddress != null ? settings.caAddress : settings.controlPlane)
        .rootCertificates(settings.rootCertificates)
        .clusterId(settings.clusterId)
        .identity(identity)
        .keyAlgorithm(settings.keyAlgorithm)
        .ttl(settings.certificateTtl);
    settings.tokenFile.ifPresent(ca::tokenFile);
    settings.authority.ifPresent(ca::authority);
    return ca.build();
  }

  private void connectXds() throws IOException {
    if (settings.localConfig != null) {
      local = LocalPolicy.start(settings.localConfig, node, settings.trustDomain);
      xds = local.state();
      listen(snapshot -> notifyUpdates());
      return;
    }
    shared = SharedXds.acquire(settings.controlPlane, node, settings.trustDomain, this::channels);
    xds = shared.state();
    listen(snapshot -> notifyUpdates());
  }

  private SharedXds.Channels channels(String address) {
    HostAndPort target = HostAndPort.parse(address);
    ChannelCredentials credentials;
    try {
      credentials = TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(Pem.write(settings.rootCertificates)
              .getBytes(StandardCharsets.US_ASCII)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("the control plane's roots cannot be used: " + e, e);
    }
    // A state-of-the-world response carries every subscribed resource of its type: for a
    // workload routing to a thousand Services the endpoints alone pass gRPC's default 4 MiB,
    // and a stream refusing them would break and reconnect to the same answer forever.
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilderForAddress(target.host(), target.port(), credentials)
            .maxInboundMessageSize(Integer.MAX_VALUE);
    settings.authority.ifPresent(builder::overrideAuthority);
    ManagedChannel channel = builder.build();
    return new SharedXds.Channels(channel, ClientInterceptors.intercept(channel,
        new CallCredentialsInterceptor(settings.tokenFile, settings.clusterId)));
  }

  private void listen(Consumer<XdsSnapshot> listener) {
    listeners.add(listener);
    xds.addListener(listener);
  }

  private void notifyUpdates() {
    synchronized (updates) {
      updates.notifyAll();
    }
  }

  private void awaitInboundPolicies() {
    Instant deadline = Instant.now().plus(settings.startupTimeout);
    try {
      while (true) {
        XdsSnapshot snapshot = xds.snapshot();
        if (snapshot.inbound().keySet().containsAll(settings.ports.keySet())
            || !Instant.now().isBefore(deadline)) {
          break;
        }
        awaitChangeFrom(snapshot.version(), deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    XdsSnapshot snapshot = xds.snapshot();
    for (int port : settings.ports.keySet()) {
      if (!snapshot.inbound().containsKey(port)) {
        log.warn("no policy for port {} within {}: it refuses connections until one arrives",
            port, settings.startupTimeout);
      }
    }
  }

  private void checkStarted() {
    checkNotClosed();
    if (state != State.STARTED) {
      throw new IllegalStateException("the mesh of " + identity + " is not started");
    }
  }

  private void checkNotClosed() {
    if (state == State.CLOSED) {
      throw new IllegalStateException("the mesh of " + identity + " is closed");
    }
  }

  /** Configures a {@link Mesh}. */
  public static final class Builder {
    private String namespace = "default";
    private String serviceAccount = "default";
    private String workloadName;
    private Map<String, String> labels = Map.of();
    private String instanceIp = "127.0.0.1";
    private String clusterId = "Kubernetes";
    private TrustDomain trustDomain = TrustDomain.parse("cluster.local");
    private final Map<Integer, Optional<InetSocketAddress>> ports = new LinkedHashMap<>();
    private String controlPlane;
    private String caAddress;
    private List<X509Certificate> rootCertificates = List.of();
    private Optional<Path> tokenFile = Optional.empty();
    private Optional<String> authority = Optional.empty();
    private Path localConfig;
    private CertificateSource certificateSource;
    private KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;
    private Duration certificateTtl = Duration.ofHours(24);
    private Duration startupTimeout = Duration.ofSeconds(30);
    private WorkloadPolicy workloadPolicy = WorkloadPolicy.NONE;

    private Builder() {}

    /** The workload's namespace; default {@code default}. */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** The workload's service account, which names its identity; default {@code default}. */
    public Builder serviceAccount(String serviceAccount) {
      this.serviceAccount = Objects.requireNonNull(serviceAccount, "serviceAccount");
      return this;
    }

    /** The workload's name (a pod's name); default the service account's. */
    public Builder workloadName(String workloadName) {
      this.workloadName = Objects.requireNonNull(workloadName, "workloadName");
      return this;
    }

    /** The workload's labels, which Services and policies select it by. */
    public Builder labels(Map<String, String> labels) {
      this.labels = Map.copyOf(labels);
      return this;
    }

    /** The workload's IP; default 127.0.0.1. */
    public Builder instanceIp(String instanceIp) {
      this.instanceIp = Objects.requireNonNull(instanceIp, "instanceIp");
      return this;
    }

    /** The cluster, sent as {@code ClusterID}; default {@code Kubernetes}. */
    public Builder clusterId(String clusterId) {
      this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
      return this;
    }

    /** The mesh's trust domain; default {@code cluster.local}. */
    public Builder trustDomain(TrustDomain trustDomain) {
      this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
      return this;
    }

    /** A container port the workload serves, reached at the instance IP. */
    public Builder servePort(int port) {
      ports.put(port, Optional.empty());
      return this;
    }

    /** A container port the workload serves, listening at {@code boundTo} (for many workloads on one host). */
    public Builder servePort(int port, InetSocketAddress boundTo) {
      ports.put(port, Optional.of(Objects.requireNonNull(boundTo, "boundTo")));
      return this;
    }

    /**
     * The control plane, {@code host:port}: istiod (15012) or the Weft control plane. It serves
     * xDS and, unless {@link #caAddress} says otherwise, the CA.
     */
    public Builder controlPlane(String hostAndPort) {
      this.controlPlane = Objects.requireNonNull(hostAndPort, "hostAndPort");
      return this;
    }

    /** The CA, if not the control plane's address. */
    public Builder caAddress(String hostAndPort) {
      this.caAddress = Objects.requireNonNull(hostAndPort, "hostAndPort");
      return this;
    }

    /** The roots the control plane's certificate chains to (istio-ca-root-cert). */
    public Builder rootCertificates(List<X509Certificate> roots) {
      this.rootCertificates = List.copyOf(roots);
      return this;
    }

    /** The file of the token that authenticates the workload (istio-token), read per call. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Optional.of(tokenFile);
      return this;
    }

    /** The name to verify the control plane's certificate against, when the address is an IP. */
    public Builder authority(String authority) {
      this.authority = Optional.of(authority);
      return this;
    }

    /** No control plane: translate the Istio YAML in {@code directory} in-process, with a local CA. */
    public Builder localConfig(Path directory) {
      this.localConfig = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Where the certificate comes from, instead of the control plane's or the local CA. */
    public Builder certificateSource(CertificateSource source) {
      this.certificateSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The key to generate; default ECDSA P-256. */
    public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
      this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
      return this;
    }

    /** The certificate lifetime to ask for; default 24 hours. */
    public Builder certificateTtl(Duration ttl) {
      this.certificateTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** How long {@link Mesh#start()} waits for the certificate and the ports' policies. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The policy the workload authored for itself, such as
     * {@code WorkloadPolicy.fromAnnotations(classes)}; it travels to the control plane with the
     * workload, and against istiod only its {@code @RequireMutualTls} is enforced (see
     * {@link WorkloadPolicy}). Default none.
     */
    public Builder workloadPolicy(WorkloadPolicy policy) {
      this.workloadPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Builds the mesh; {@link Mesh#start()} joins it. */
    public Mesh build() {
      if ((controlPlane == null) == (localConfig == null)) {
        throw new IllegalStateException("say where policy comes from, one of controlPlane(host:port)"
            + " (XDS_ADDR) or localConfig(directory) (WEFT_CONFIG_DIR)");
      }
      if (controlPlane != null && rootCertificates.isEmpty()) {
        throw new IllegalStateException(
            "rootCertificates are required to verify the control plane at " + controlPlane
                + " (XDS_ROOT_CA, or the mounted " + IstioEnvironment.ROOT_CERT_FILE + ")");
      }
      if (workloadName == null) {
        workloadName = serviceAccount;
      }
      return new Mesh(this);
    }

    private String describe() {
      List<String> parts = new ArrayList<>();
      if (controlPlane != null) {
        parts.add("control plane " + controlPlane);
        parts.add(rootCertificates.size() + " root certificate(s)");
        tokenFile.ifPresent(token -> parts.add("token " + token));
        if (caAddress != null) {
          parts.add("CA " + caAddress);
        }
      } else {
        parts.add("local " + localConfig);
      }
      parts.add("ports " + ports.keySet());
      if (!workloadPolicy.isEmpty()) {
        parts.add("authored policy: " + workloadPolicy);
      }
      return String.join(", ", parts);
    }
  }
}
