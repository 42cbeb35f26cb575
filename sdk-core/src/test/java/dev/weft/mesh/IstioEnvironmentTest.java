package dev.weft.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.internal.Pem;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pod's environment, as Istio's injector writes it, makes of a mesh. */
class IstioEnvironmentTest {
  @TempDir Path root;

  private final Map<String, String> env = new HashMap<>(Map.of(
      "POD_NAMESPACE", "bar",
      "SERVICE_ACCOUNT", "httpbin",
      "POD_NAME", "httpbin-7d4f-x2x9q",
      "INSTANCE_IP", "10.1.2.3",
      "ISTIO_META_CLUSTER_ID", "east",
      "ISTIO_METAJSON_LABELS", "{\"app\":\"httpbin\",\"version\":\"v1\"}",
      "TRUST_DOMAIN", "example.org"));

  @Test
  void thePodsVariablesAreTheWorkloadsIdentityAndNode() throws Exception {
    env.put("WEFT_CONFIG_DIR", root.toString());

    Mesh mesh = build();

    assertThat(mesh.identity())
        .isEqualTo(SpiffeId.parse("spiffe://example.org/ns/bar/sa/httpbin"));
    assertThat(mesh.node().id()).isEqualTo("sidecar~10.1.2.3~httpbin-7d4f-x2x9q.bar~bar.svc.cluster.local");
    assertThat(mesh.node().clusterId()).isEqualTo("east");
    assertThat(mesh.node().instanceIps()).containsExactly("10.1.2.3");
    assertThat(mesh.node().labels()).containsExactlyInAnyOrderEntriesOf(
        Map.of("app", "httpbin", "version", "v1"));
  }

  @Test
  void xdsAddrUsesTheMountedRootAndToken() throws Exception {
    LocalCertificateAuthority ca =
        LocalCertificateAuthority.inMemory(TrustDomain.parse("example.org"));
    write(IstioEnvironment.ROOT_CERT_FILE, Pem.write(ca.rootCertificates()));
    write(IstioEnvironment.TOKEN_FILE, "token");
    env.put("XDS_ADDR", "istiod.istio-system.svc:15012");

    Mesh mesh = build();

    assertThat(mesh.describeSettings()).contains("control plane istiod.istio-system.svc:15012",
        "1 root certificate(s)", "token " + root.resolve(IstioEnvironment.TOKEN_FILE));
  }

  @Test
  void weftTokenFileNamesTheTokenOutsideAPod() throws Exception {
    LocalCertificateAuthority ca =
        LocalCertificateAuthority.inMemory(TrustDomain.parse("example.org"));
    Path roots = write("roots.pem", Pem.write(ca.rootCertificates()));
    Path token = write("sleep.token", "token");
    env.putAll(Map.of("XDS_ADDR", "127.0.0.1:15012", "XDS_ROOT_CA", roots.toString(),
        "WEFT_TOKEN_FILE", token.toString()));

    assertThat(build().describeSettings()).contains("token " + token);

    env.put("WEFT_TOKEN_FILE", root.resolve("missing.token").toString());
    assertThatThrownBy(this::build).hasMessage(
        "WEFT_TOKEN_FILE " + root.resolve("missing.token") + " cannot be read");
  }

  @Test
  void xdsAddrWithoutARootSaysWhereOneIsExpected() {
    env.put("XDS_ADDR", "istiod.istio-system.svc:15012");

    assertThatThrownBy(this::build)
        .hasMessageContaining("rootCertificates are required")
        .hasMessageContaining("XDS_ROOT_CA")
        .hasMessageContaining("root-cert.pem");
  }

  @Test
  void anUnreadableRootNamesItsVariable() throws Exception {
    Path notPem = write("roots.pem", "not a certificate");
    env.put("XDS_ADDR", "istiod.istio-system.svc:15012");
    env.put("XDS_ROOT_CA", notPem.toString());

    assertThatThrownBy(this::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roots.pem (XDS_ROOT_CA)");
  }

  @Test
  void labelsThatAreNotAJsonObjectOfStringsAreNamed() {
    env.put("ISTIO_METAJSON_LABELS", "[\"app\"]");
    assertThatThrownBy(this::build).hasMessageContaining("ISTIO_METAJSON_LABELS");

    env.put("ISTIO_METAJSON_LABELS", "{\"replicas\": 3}");
    assertThatThrownBy(this::build).hasMessageContaining("ISTIO_METAJSON_LABELS")
        .hasMessageContaining("replicas");
  }

  @Test
  void aBadTrustDomainIsNamed() {
    env.put("TRUST_DOMAIN", "Example.ORG/x");

    assertThatThrownBy(this::build).hasMessageStartingWith("TRUST_DOMAIN");
  }

  private Mesh build() {
    return new IstioEnvironment(env, root).apply(Mesh.builder()).build();
  }

  private Path write(String relative, String content) throws Exception {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
