package dev.weft.controlplane;

import dev.weft.controlplane.xds.XdsServer;
import dev.weft.policy.MeshResources;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The Weft control plane, embeddable in a process: it serves istiod-shaped xDS to workloads
 * from Istio configuration and registers workloads as their streams open.
 */
public final class ControlPlane implements AutoCloseable {
  private final XdsServer xds;

  private ControlPlane(Builder builder) {
    this.xds = new XdsServer(builder.resources, builder.registrationGrace, builder.debounce,
        builder.plaintextPort);
  }

  /** A builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Starts serving. */
  public ControlPlane start() throws IOException {
    xds.start();
    return this;
  }

  /** The loopback port that serves xDS in plaintext without authentication, as istiod's 15010. */
  public int plaintextPort() {
    return xds.plaintextPort();
  }

  /** Puts {@code resources} in force and pushes what changed to every workload. */
  public void update(MeshResources resources) {
    xds.update(Objects.requireNonNull(resources, "resources"));
  }

  /** What each workload was sent, acknowledged and rejected. */
  public dev.weft.controlplane.xds.SyncStatus status() {
    return xds.status();
  }

  @Override
  public void close() {
    xds.close();
  }

  /** Configures a {@link ControlPlane}. */
  public static final class Builder {
    private MeshResources resources = MeshResources.EMPTY;
    private Duration registrationGrace = Duration.ofSeconds(10);
    private Duration debounce = Duration.ofMillis(100);
    private int plaintextPort = -1;

    private Builder() {}

    /** The configuration in force at start. */
    public Builder resources(MeshResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Also serve xDS in plaintext, unauthenticated, on a loopback port (0 picks one), for
     * clients that cannot verify the control plane's certificate, as grpc-java's bootstrap.
     */
    public Builder plaintextPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
      }
      this.plaintextPort = port;
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

    /** Builds the control plane; call {@link ControlPlane#start()}. */
    public ControlPlane build() {
      return new ControlPlane(this);
    }
  }
}
