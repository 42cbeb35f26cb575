package dev.weft.grpc;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.grpc.xds.internal.CertificateFiles;
import dev.weft.grpc.xds.internal.XdsBootstrap;
import dev.weft.grpc.xds.internal.XdsRelay;
import dev.weft.mesh.InternalMesh;
import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grpc-java's own xDS ({@code xds:///} channels with {@code XdsChannelCredentials},
 * {@code XdsServerBuilder}) running on a {@link Mesh}, with no agent: one upstream xDS stream
 * for all of them, and the mesh certificate. Experimental, as grpc-java's xDS API is.
 *
 * <p>An {@code XdsServerBuilder} server cannot tell TLS from plaintext on one port, so under
 * PERMISSIVE it serves plaintext only; Weft's own server credentials serve both.
 */
public final class GrpcXds implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcXds.class);
  /** How often grpc-java's file_watcher looks at the certificate files. */
  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);
  static final String BOOTSTRAP_CONFIG_PROPERTY = "io.grpc.xds.bootstrapConfig";
  private static final AtomicBoolean ENABLED = new AtomicBoolean();

  private final XdsRelay relay;
  private final CertificateFiles files;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GrpcXds(XdsRelay relay, CertificateFiles files) {
    this.relay = relay;
    this.files = files;
  }

  /**
   * Makes grpc-java's xDS in this process use {@code mesh}: its control plane (through an
   * in-process relay), its identity and its certificates. Once per process, because grpc-java
   * reads its bootstrap once.
   *
   * @throws IllegalStateException if xDS was enabled before in this process, or grpc-java is
   *     given another bootstrap, or the certificate is renewed too close to its expiry
   */
  public static GrpcXds enable(Mesh mesh) {
    Objects.requireNonNull(mesh, "mesh");
    if (ENABLED.get()) {
      throw alreadyEnabled();
    }
    checkNoOtherBootstrap();
    WorkloadCertificates certificates = mesh.certificates();
    Duration margin = certificates.renewalMargin();
    if (margin.compareTo(REFRESH_INTERVAL.multipliedBy(2)) < 0) {
      throw new IllegalStateException("the certificate of " + mesh.identity() + " is renewed "
          + margin.toSeconds() + " s before it expires, less than twice the "
          + REFRESH_INTERVAL.toSeconds() + " s grpc-java takes to notice a new one: ask for a"
          + " longer certificate lifetime");
    }
    if (!ENABLED.compareAndSet(false, true)) {
      throw alreadyEnabled();
    }
    CertificateFiles files = null;
    XdsRelay relay = null;
    try {
      files = CertificateFiles.write(certificates);
      relay = XdsRelay.start(InternalMesh.xdsMultiplexer(mesh));
      System.setProperty(BOOTSTRAP_CONFIG_PROPERTY, XdsBootstrap.json(InternalMesh.node(mesh),
          relay.target(), files, REFRESH_INTERVAL));
    } catch (IOException e) {
      closeAll(relay, files);
      throw new UncheckedIOException("cannot enable grpc-java's xDS: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(relay, files);
      throw e;
    }
    log.info("grpc-java's xDS runs on the mesh of {}: relay {}, certificates in {}",
        mesh.identity(), relay.target(), files.directory());
    return new GrpcXds(relay, files);
  }

  private static IllegalStateException alreadyEnabled() {
    return new IllegalStateException("grpc-java's xDS was already enabled in this process;"
        + " grpc-java reads its bootstrap once per process, so enable works once, even after"
        + " close");
  }

  private static void closeAll(XdsRelay relay, CertificateFiles files) {
    if (relay != null) {
      relay.close();
    }
    if (files != null) {
      files.close();
    }
  }

  private static void checkNoOtherBootstrap() {
    for (String variable : new String[] {"GRPC_XDS_BOOTSTRAP", "GRPC_XDS_BOOTSTRAP_CONFIG"}) {
      if (System.getenv(variable) != null) {
        throw new IllegalStateException("the environment variable " + variable + " gives"
            + " grpc-java another xDS bootstrap, which would take precedence; unset it to run"
            + " grpc-java's xDS on the mesh");
      }
    }
    for (String property : new String[] {"io.grpc.xds.bootstrap", BOOTSTRAP_CONFIG_PROPERTY}) {
      if (System.getProperty(property) != null) {
        throw new IllegalStateException("the system property " + property + " gives grpc-java"
            + " another xDS bootstrap; clear it to run grpc-java's xDS on the mesh");
      }
    }
  }

  /** Stops the relay (grpc-java's xDS streams end) and removes the certificate files. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    System.clearProperty(BOOTSTRAP_CONFIG_PROPERTY);
    relay.close();
    files.close();
  }
}
