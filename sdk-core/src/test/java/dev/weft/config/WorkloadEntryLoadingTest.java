package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.id;
import static dev.weft.config.ConfigTesting.load;
import static dev.weft.policy.ResourceKind.WORKLOAD_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.WorkloadEntry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadEntryLoadingTest {

  /** A WorkloadEntry {@code bar/vm-1} with {@code spec} indented under it. */
  private static String entry(String apiVersion, String spec) {
    return """
        apiVersion: %s
        kind: WorkloadEntry
        metadata:
          name: vm-1
          namespace: bar
        spec:
        """.formatted(apiVersion) + spec.indent(2);
  }

  private static String entry(String spec) {
    return entry("networking.istio.io/v1", spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "networking.istio.io/v1alpha3", "networking.istio.io/v1beta1", "networking.istio.io/v1"})
  void loadsEveryFieldInEveryApiVersion(String apiVersion) {
    ConfigLoadResult result = load(entry(apiVersion, """
        address: 10.0.0.5
        labels:
          app: httpbin
          security.istio.io/tlsMode: istio
        serviceAccount: httpbin
        ports:
          http: 8080
          grpc: 9090
        network: vm-network
        locality: us-east1/zone-a
        weight: 10
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    WorkloadEntry entry = result.resources().workloadEntries().get(0);
    assertThat(entry.meta().id()).isEqualTo(id(WORKLOAD_ENTRY, "bar", "vm-1"));
    assertThat(entry.address()).isEqualTo("10.0.0.5");
    assertThat(entry.labels())
        .isEqualTo(Map.of("app", "httpbin", "security.istio.io/tlsMode", "istio"));
    assertThat(entry.serviceAccount()).isEqualTo("httpbin");
    assertThat(entry.ports()).isEqualTo(Map.of("http", 8080, "grpc", 9090));
    assertThat(entry.toWorkload().meshEnabled()).isTrue();
  }

  @Test
  void serviceAccountDefaultsToDefault() {
    ConfigLoadResult result = load(entry("address: vm-1.example.com\n"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().workloadEntries().get(0).serviceAccount()).isEqualTo("default");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "10.0.0.5", "2001:db8::5", "vm-1.example.com", "unix:///var/run/app.sock"})
  void acceptsIpAddressesDomainNamesAndUnixSockets(String address) {
    ConfigLoadResult result = load(entry("address: \"" + address + "\"\n"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().workloadEntries().get(0).address()).isEqualTo(address);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'{labels: {app: httpbin}}'                   | spec.address        | address is"
          + " required",
      "'{address: \"\"}'                            | spec.address        | address is required",
      "'{address: vm 1}'                             | spec.address        | \"vm 1\" is not a"
          + " valid IP address or domain name",
      "'{address: unix://relative.sock}'             | spec.address        |"
          + " \"unix://relative.sock\" is not unix:// and an absolute path",
      "'{address: unix:///a.sock, ports: {http: 80}}' | spec.ports         | unix endpoint"
          + " unix:///a.sock must not include ports",
      "'{address: 10.0.0.5, ports: {http: 0}}'       | spec.ports[http]    | must be a port"
          + " number",
      "'{address: 10.0.0.5, ports: {HTTP: 80}}'      | spec.ports[HTTP]    | invalid port name",
      "'{address: 10.0.0.5, serviceAccount: A_B}'    | spec.serviceAccount | \"A_B\" is not a"
          + " valid DNS-1123 subdomain"})
  void invalidEntryIsRejected(String spec, String field, String message) {
    ConfigProblem problem = errorBetweenValidDocuments(entry(spec + "\n"));

    assertThat(problem.resource()).contains(id(WORKLOAD_ENTRY, "bar", "vm-1"));
    assertThat(problem.field()).isEqualTo(field);
    assertThat(problem.message()).startsWith(message);
  }
}
