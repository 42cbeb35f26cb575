package dev.weft.micronaut.internal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code weft.*} settings of a Micronaut application; what is unset comes from the
 * environment Istio gives a pod ({@code POD_NAMESPACE}, {@code XDS_ADDR}, {@code
 * WEFT_CONFIG_DIR}…), as {@code Mesh.fromEnvironment()} reads it.
 */
@ConfigurationProperties("weft")
public class WeftConfiguration {
  private boolean enabled = true;
  private String namespace;
  private String serviceAccount;
  private String workloadName;
  private Map<String, String> labels = Map.of();
  private String instanceIp;
  private String trustDomain;
  private Integer containerPort;
  private String controlPlane;
  private Path rootCertificates;
  private Path tokenFile;
  private String authority;
  private Path configDir;
  private Duration startupTimeout;
  private Duration certificateTtl;

  /** Whether the application joins the mesh; default true. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Optional<String> getNamespace() {
    return Optional.ofNullable(namespace);
  }

  public void setNamespace(@Nullable String namespace) {
    this.namespace = namespace;
  }

  public Optional<String> getServiceAccount() {
    return Optional.ofNullable(serviceAccount);
  }

  public void setServiceAccount(@Nullable String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public Optional<String> getWorkloadName() {
    return Optional.ofNullable(workloadName);
  }

  public void setWorkloadName(@Nullable String workloadName) {
    this.workloadName = workloadName;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = Map.copyOf(labels);
  }

  public Optional<String> getInstanceIp() {
    return Optional.ofNullable(instanceIp);
  }

  public void setInstanceIp(@Nullable String instanceIp) {
    this.instanceIp = instanceIp;
  }

  public Optional<String> getTrustDomain() {
    return Optional.ofNullable(trustDomain);
  }

  public void setTrustDomain(@Nullable String trustDomain) {
    this.trustDomain = trustDomain;
  }

  /** The container port the HTTP server serves; default {@code micronaut.server.port}. */
  public Optional<Integer> getContainerPort() {
    return Optional.ofNullable(containerPort);
  }

  public void setContainerPort(@Nullable Integer containerPort) {
    this.containerPort = containerPort;
  }

  /** The control plane, {@code host:port} (istiod or Weft's); else {@code XDS_ADDR}. */
  public Optional<String> getControlPlane() {
    return Optional.ofNullable(controlPlane);
  }

  public void setControlPlane(@Nullable String controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** A PEM file of the roots the control plane's certificate chains to. */
  public Optional<Path> getRootCertificates() {
    return Optional.ofNullable(rootCertificates);
  }

  public void setRootCertificates(@Nullable Path rootCertificates) {
    this.rootCertificates = rootCertificates;
  }

  public Optional<Path> getTokenFile() {
    return Optional.ofNullable(tokenFile);
  }

  public void setTokenFile(@Nullable Path tokenFile) {
    this.tokenFile = tokenFile;
  }

  public Optional<String> getAuthority() {
    return Optional.ofNullable(authority);
  }

  public void setAuthority(@Nullable String authority) {
    this.authority = authority;
  }

  /** A folder of Istio YAML to run on locally, with no control plane. */
  public Optional<Path> getConfigDir() {
    return Optional.ofNullable(configDir);
  }

  public void setConfigDir(@Nullable Path configDir) {
    this.configDir = configDir;
  }

  public Optional<Duration> getStartupTimeout() {
    return Optional.ofNullable(startupTimeout);
  }

  public void setStartupTimeout(@Nullable Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public Optional<Duration> getCertificateTtl() {
    return Optional.ofNullable(certificateTtl);
  }

  public void setCertificateTtl(@Nullable Duration certificateTtl) {
    this.certificateTtl = certificateTtl;
  }
}
