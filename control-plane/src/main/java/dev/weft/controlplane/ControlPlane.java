package dev.weft.controlplane;

import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.controlplane.auth.AuthenticatingInterceptor;
import dev.weft.controlplane.auth.Caller;
import dev.weft.controlplane.auth.CallerAuthenticator;
import dev.weft.controlplane.auth.ControlPlaneTls;
import dev.weft.controlplane.auth.DevTokens;
import dev.weft.controlplane.ca.CertificateAuthorityService;
import dev.weft.config.internal.ConfigDirectory;
import dev.weft.controlplane.debug.DebugServer;
import dev.weft.controlplane.xds.SyncStatus;
import dev.weft.controlplane.xds.XdsHub;
import dev.weft.policy.MeshResources;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Weft control plane, embeddable in a process. On one TLS port it serves istiod-shaped
 * xDS and Istio's CA API, to callers authenticated as istiod authenticates them (a workload
 * certificate, or a token naming their identity); optionally it also serves xDS in plaintext on
 * a loopback port, as istiod's 15010, for clients that cannot verify its certificate.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  private final Builder settings;
  private final XdsHub xds;
  private final LocalCertificateAuthority ca;
  private final DevTokens tokens;
  private final Optional<ConfigDirectory> configDirectory;
  private final List<Server> servers = new ArrayList<>();
  private Server secure;
  private Server plaintext;
  private DebugServer debug;

  private ControlPlane(Builder settings, MeshResources resources, LocalCertificateAuthority ca,
      DevTokens tokens, Optional<ConfigDirectory> configDirectory) {
    this.settings = settings;
    this.ca = ca;
    this.tokens = tokens;
    this.configDirectory = configDirectory;
    this.xds = new XdsHub(resources, settings.registrationGrace, settings.debounce);
  }

  /** A builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Starts serving on the ports asked for. */
  public ControlPlane start() throws IOException {
    InetAddress bind = settings.bindAddress;
    if (settings.port >= 0) {
      AuthenticatingInterceptor authentication = new AuthenticatingInterceptor(
          new CallerAuthenticator(ca.trustBundles(), tokens, settings.clusterId));
      secure = NettyServerBuilder.forAddress(new InetSocketAddress(bind, settings.port),
              ControlPlaneTls.serverCredentials(ca, settings.hostNames))
          .withOption(ChannelOption.SO_REUSEADDR, true)
          .addService(ServerInterceptors.intercept(xds.service(() -> Optional.ofNullable(
              AuthenticatingInterceptor.CALLER.get()).map(Caller::identity)), authentication))
          .addService(ServerInterceptors.intercept(
              new CertificateAuthorityService(ca), authentication))
          .build()
          .start();
      servers.add(secure);
      log.info("serving xDS and the CA API over TLS on {}:{}", bind.getHostAddress(),
          secure.getPort());
    }
    if (settings.plaintextPort >= 0) {
      plaintext = NettyServerBuilder.forAddress(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.plaintextPort),
              InsecureServerCredentials.create())
          .withOption(ChannelOption.SO_REUSEADDR, true)
          .addService(xds.service(Optional::empty))
          .build()
          .start();
      servers.add(plaintext);
      log.info("serving xDS in plaintext, unauthenticated, on loopback port {}",
          plaintext.getPort());
    }
    if (settings.debugPort >= 0) {
      debug = DebugServer.start(new InetSocketAddress(bind, settings.debugPort), xds,
          () -> configDirectory.map(ConfigDirectory::current));
      log.info("serving status on http://{}:{}/debug/syncz", bind.getHostAddress(),
          debug.port());
    }
    return this;
  }

  /** The HTTP port of the debug endpoint, or -1 if not serving it. */
  public int debugPort() {
    return debug == null ? -1 : debug.port();
  }

  /** The TLS port serving xDS and the CA API, or -1 if not serving it. */
  public int port() {
    return secure == null ? -1 : secure.getPort();
  }

  /** The loopback plaintext xDS port, or -1 if not serving it. */
  public int plaintextPort() {
    return plaintext == null ? -1 : plaintext.getPort();
  }

  /** The CA that signs workload certificates and the control plane's own. */
  public LocalCertificateAuthority certificateAuthority() {
    return ca;
  }

  /** Issues and verifies the bearer tokens that name a workload's identity. */
  public DevTokens tokens() {
    return tokens;
  }

  /** Puts {@code resources} in force and pushes what changed to every workload. */
  public void update(MeshResources resources) {
    xds.update(Objects.requireNonNull(resources, "resources"));
  }

  /**
   * Waits until every connected workload has acknowledged the configuration in force (the
   * last {@link #update} included), as {@code istioctl proxy-status} shows SYNCED everywhere.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitInSync(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!xds.inSync()) {
      if (!Instant.now().isBefore(deadline)) {
        return false;
      }
      // A change pending in the publisher is pushed within the debounce, then shows in status.
      xds.awaitStatusChange(Math.min(50, Duration.between(Instant.now(), deadline).toMillis()));
    }
    return true;
  }

  /** What each workload was sent, acknowledged and rejected. */
  public SyncStatus status() {
    return xds.status();
  }

  @Override
  public void close() {
    configDirectory.ifPresent(ConfigDirectory::close);
    if (debug != null) {
      debug.close();
    }
    for (Server server : servers) {
      server.shutdownNow();
    }
    for (Server server : servers) {
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    xds.close();
  }

  /** Configures a {@link ControlPlane}. */
  public static final class Builder {
    private MeshResources resources = MeshResources.EMPTY;
    private Duration registrationGrace = Duration.ofSeconds(10);
    private Duration debounce = Duration.ofMillis(100);
    private int port = -1;
    private int plaintextPort = -1;
    private int debugPort = -1;
    private Path configDirectory;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private List<String> hostNames = List.of();
    private String clusterId = CallerAuthenticator.DEFAULT_CLUSTER_ID;
    private Path stateDirectory;
    private LocalCertificateAuthority certificateAuthority;

    private Builder() {}

    /** The configuration in force at start. */
    public Builder resources(MeshResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Read the configuration from the Istio YAML files in {@code directory} and follow their
     * changes; a file with an error keeps its last good content in force. Replaces
     * {@link #resources}.
     */
    public Builder configDirectory(Path directory) {
      this.configDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Serve the debug endpoint over HTTP on {@code port} (0 picks one), as istiod on 15014. */
    public Builder debugPort(int port) {
      this.debugPort = checkPort(port);
      return this;
    }

    /** Serve xDS and the CA API over TLS on {@code port} (0 picks one). */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /**
     * Also serve xDS in plaintext, unauthenticated, on a loopback port (0 picks one), for
     * clients that cannot verify the control plane's certificate, as grpc-java's bootstrap.
     */
    public Builder plaintextPort(int port) {
      this.plaintextPort = checkPort(port);
      return this;
    }

    /** The address the TLS port binds to; default loopback. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Names the control plane's certificate carries besides the loopback ones. */
    public Builder hostNames(List<String> hostNames) {
      this.hostNames = List.copyOf(hostNames);
      return this;
    }

    /** The cluster workloads send as {@code ClusterID}; default {@code Kubernetes}. */
    public Builder clusterId(String clusterId) {
      this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
      return this;
    }

    /** Where the CA (Istio's plug-in layout) and the token key are kept; default in memory. */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The CA to use; default one created in the state directory or in memory. */
    public Builder certificateAuthority(LocalCertificateAuthority ca) {
      this.certificateAuthority = Objects.requireNonNull(ca, "ca");
      return this;
    }

    /** How long a workload stays registered after its last stream closed; default 10s. */
    public Builder registrationGrace(Duration grace) {
      this.registrationGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** How long to wait after a change before pushing; default 100 ms, as istiod. */
    public Builder debounce(Duration debounce) {
      this.debounce = Objects.requireNonNull(debounce, "debounce");
      return this;
    }

    /**
     * Builds the control plane: reads the configuration directory, loads or creates the CA.
     * Call {@link ControlPlane#start()}.
     */
    public ControlPlane build() throws IOException {
      AtomicReference<ControlPlane> built = new AtomicReference<>();
      Optional<ConfigDirectory> directory = configDirectory == null ? Optional.empty()
          : Optional.of(ConfigDirectory.start(configDirectory, state -> {
            ControlPlane controlPlane = built.get();
            if (controlPlane != null) {
              controlPlane.update(state.resources());
            }
          }));
      MeshResources initial = directory.map(d -> d.current().resources()).orElse(resources);
      LocalCertificateAuthority ca = certificateAuthority;
      if (ca == null) {
        LocalCertificateAuthority.Builder created = LocalCertificateAuthority.newBuilder()
            .trustDomain(initial.meshConfig().trustDomain());
        if (stateDirectory != null) {
          created.directory(stateDirectory.resolve("ca"));
        }
        try {
          ca = created.build();
        } catch (CertificateSourceException e) {
          throw new IOException("cannot load the control plane's CA: " + e.getMessage(), e);
        }
      }
      DevTokens tokens = stateDirectory == null ? DevTokens.inMemory()
          : DevTokens.inDirectory(stateDirectory);
      ControlPlane controlPlane = new ControlPlane(this, initial, ca, tokens, directory);
      built.set(controlPlane);
      // A change published before the line above would have been dropped; an unchanged one
      // pushes nothing.
      directory.ifPresent(d -> controlPlane.update(d.current().resources()));
      return controlPlane;
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
      }
      return port;
    }
  }
}
