package dev.weft.micronaut.internal;

import dev.weft.cert.internal.Pem;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.Mesh;
import dev.weft.policy.WorkloadPolicy;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.HttpServerConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's {@link Mesh}: built from {@code weft.*} over the environment, with the
 * policy the application's classes declare in Weft's annotations; started with the application
 * (which does not start if the mesh cannot), closed with it.
 */
@Factory
@Requires(property = "weft.enabled", notEquals = "false")
public class MeshFactory {
  private static final Logger log = LoggerFactory.getLogger(MeshFactory.class);

  /** The application's mesh. */
  @Context
  @Bean(preDestroy = "close")
  public Mesh mesh(WeftConfiguration config, HttpServerConfiguration server,
      BeanContext context) throws IOException {
    Mesh.Builder builder = Mesh.fromEnvironment();
    config.getNamespace().ifPresent(builder::namespace);
    config.getServiceAccount().ifPresent(builder::serviceAccount);
    config.getWorkloadName().ifPresent(builder::workloadName);
    if (!config.getLabels().isEmpty()) {
      builder.labels(config.getLabels());
    }
    config.getInstanceIp().ifPresent(builder::instanceIp);
    config.getTrustDomain().ifPresent(domain -> builder.trustDomain(TrustDomain.parse(domain)));
    config.getControlPlane().ifPresent(builder::controlPlane);
    if (config.getRootCertificates().isPresent()) {
      Path file = config.getRootCertificates().get();
      builder.rootCertificates(
          Pem.readCertificates(read(file, "weft.root-certificates"), file.toString()));
    }
    config.getTokenFile().ifPresent(builder::tokenFile);
    config.getAuthority().ifPresent(builder::authority);
    config.getConfigDir().ifPresent(builder::localConfig);
    config.getStartupTimeout().ifPresent(builder::startupTimeout);
    config.getCertificateTtl().ifPresent(builder::certificateTtl);
    ServedPort.of(config, server).ifPresent(served -> served.boundTo().ifPresentOrElse(
        address -> builder.servePort(served.containerPort(), address),
        () -> builder.servePort(served.containerPort())));
    WorkloadPolicy authored = WorkloadPolicy.fromAnnotations(AuthoredPolicyClasses.of(context));
    if (!authored.isEmpty()) {
      log.info("the application authored its policy: {}", authored.describe());
      builder.workloadPolicy(authored);
    }
    return builder.build().start();
  }

  private static String read(Path file, String property) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(property + " " + file + " cannot be read: " + e, e);
    }
  }
}
