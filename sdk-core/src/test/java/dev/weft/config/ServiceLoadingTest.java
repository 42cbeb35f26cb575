package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.errorsBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.id;
import static dev.weft.config.ConfigTesting.load;
import static dev.weft.policy.ResourceKind.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.TargetPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceLoadingTest {

  /** A Service {@code bar/httpbin} with {@code spec} indented under it. */
  private static String service(String spec) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: httpbin
          namespace: bar
        spec:
        """ + spec.indent(2);
  }

  @Test
  void loadsSelectorAndPorts() {
    ConfigLoadResult result = load(service("""
        type: ClusterIP
        clusterIP: 10.96.0.12
        sessionAffinity: None
        selector:
          app: httpbin
        ports:
        - name: http
          port: 8000
          targetPort: 80
          protocol: TCP
          appProtocol: http
        - name: grpc
          port: 9000
          targetPort: grpc-port
        - name: admin
          port: 9090
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    Service service = result.resources().services().get(0);
    assertThat(service.meta().id()).isEqualTo(id(SERVICE, "bar", "httpbin"));
    assertThat(service.selector()).isEqualTo(Map.of("app", "httpbin"));
    assertThat(service.ports()).containsExactly(
        new ServicePort("http", 8000, TargetPort.number(80)),
        new ServicePort("grpc", 9000, TargetPort.named("grpc-port")),
        new ServicePort("admin", 9090, TargetPort.number(9090)));
  }

  @Test
  void aSinglePortNeedsNoName() {
    ConfigLoadResult result = load(service("ports: [{port: 80, targetPort: 0}]\n"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().services().get(0).ports())
        .containsExactly(new ServicePort("", 80, TargetPort.number(80)));
  }

  @Test
  void headlessAndExternalNameServicesMayHaveNoPorts() {
    ConfigLoadResult result = load(service("clusterIP: None\nselector: {app: httpbin}\n")
        + "---\n"
        + service("type: ExternalName\nexternalName: httpbin.example.com\n")
            .replace("name: httpbin", "name: external"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().services()).hasSize(2);
  }

  @Test
  void aServiceNeedsAPort() {
    ConfigProblem problem = errorBetweenValidDocuments(service("selector: {app: httpbin}\n"));

    assertThat(problem.resource()).contains(id(SERVICE, "bar", "httpbin"));
    assertThat(problem.field()).isEqualTo("spec.ports");
    assertThat(problem.message()).isEqualTo("a Service needs at least one port");
  }

  @Test
  void portsOfAMultiPortServiceNeedUniqueNames() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments(service("""
        ports:
        - port: 80
        - name: http
          port: 81
        - name: http
          port: 82
        """));

    assertThat(errors).extracting(ConfigProblem::field)
        .containsExactly("spec.ports[0].name", "spec.ports[2].name");
    assertThat(errors).extracting(ConfigProblem::message).containsExactly(
        "each port of a Service with more than one port needs a name",
        "duplicate port name \"http\"; also in spec.ports[1]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{name: http}                   | spec.ports[0].port       | required: a port number",
      "{port: 0}                      | spec.ports[0].port       | must be a port number from 1"
          + " to 65535, found 0",
      "{port: http}                   | spec.ports[0].port       | expected an integer, found"
          + " the string \"http\"",
      "{port: 80, targetPort: 70000}  | spec.ports[0].targetPort | must be a port number from 1"
          + " to 65535 or a port name, found 70000",
      "{port: 80, targetPort: \"80\"} | spec.ports[0].targetPort | \"80\" is not a valid port"
          + " name",
      "{port: 80, targetPort: Http}   | spec.ports[0].targetPort | \"Http\" is not a valid port"
          + " name",
      "{port: 80, protocol: HTTP}     | spec.ports[0].protocol   | unknown protocol \"HTTP\";"
          + " valid values are TCP, UDP, SCTP",
      "{port: 80, name: HTTP}         | spec.ports[0].name       | \"HTTP\" is not a valid"
          + " DNS-1123 label"})
  void invalidPortIsRejected(String port, String field, String message) {
    ConfigProblem problem = errorBetweenValidDocuments(service("ports: [" + port + "]\n"));

    assertThat(problem.field()).isEqualTo(field);
    assertThat(problem.message()).startsWith(message);
  }

  @Test
  void samePortTwiceIsRejectedUnlessTheProtocolsDiffer() {
    ConfigProblem problem = errorBetweenValidDocuments(service("""
        ports:
        - {name: dns, port: 53, protocol: UDP}
        - {name: dns-tcp, port: 53, protocol: TCP}
        - {name: again, port: 53}
        """));

    assertThat(problem.field()).isEqualTo("spec.ports[2].port");
    assertThat(problem.message()).isEqualTo("duplicate port 53/TCP; also in spec.ports[1]");
  }

  @Test
  void serviceNameMustBeADns1035Label() {
    ConfigProblem problem = errorBetweenValidDocuments(
        service("ports: [{port: 80}]\n").replace("name: httpbin", "name: 1httpbin"));

    assertThat(problem.field()).isEqualTo("metadata.name");
    assertThat(problem.message()).startsWith("\"1httpbin\" is not a valid DNS-1035 label");
  }

  @Test
  void knativeServiceIsAnotherKindAndSkippedWithAWarning() {
    ConfigLoadResult result = load("""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello}
        spec:
          template: {}
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().services()).isEmpty();
    assertThat(result.warnings()).singleElement().satisfies(warning -> assertThat(warning.message())
        .isEqualTo("kind Service (serving.knative.dev/v1) is not one Weft reads; skipped"));
  }
}
