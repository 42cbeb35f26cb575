package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.errorsBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.id;
import static dev.weft.config.ConfigTesting.load;
import static dev.weft.policy.ResourceKind.DESTINATION_RULE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.ClientTls;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.PortTrafficPolicy;
import dev.weft.policy.Subset;
import dev.weft.policy.TlsMode;
import dev.weft.policy.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationRuleLoadingTest {

  /** A DestinationRule {@code bar/httpbin} with {@code spec} indented under it. */
  private static String rule(String spec) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: httpbin
          namespace: bar
        spec:
        """ + spec.indent(2);
  }

  private static DestinationRule loadRule(String spec) {
    ConfigLoadResult result = load(rule(spec));
    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().destinationRules()).hasSize(1);
    return result.resources().destinationRules().get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "networking.istio.io/v1alpha3", "networking.istio.io/v1beta1", "networking.istio.io/v1"})
  void loadsEveryFieldInEveryApiVersion(String apiVersion) {
    ConfigLoadResult result = load("""
        apiVersion: %s
        kind: DestinationRule
        metadata:
          name: httpbin
          namespace: bar
        spec:
          host: httpbin.bar.svc.cluster.local
          exportTo: [".", "foo"]
          trafficPolicy:
            loadBalancer:
              simple: ROUND_ROBIN
            tls:
              mode: MUTUAL
              clientCertificate: /etc/certs/client.pem
              privateKey: /etc/certs/key.pem
              caCertificates: /etc/certs/ca.pem
              subjectAltNames: [httpbin.bar.svc.cluster.local]
              sni: httpbin.example.com
            portLevelSettings:
            - port:
                number: 8443
              loadBalancer:
                simple: RANDOM
              tls:
                mode: SIMPLE
                insecureSkipVerify: true
          subsets:
          - name: v1
            labels:
              version: v1
            trafficPolicy:
              tls:
                mode: ISTIO_MUTUAL
          - name: v2
            labels:
              version: v2
        """.formatted(apiVersion));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    DestinationRule rule = result.resources().destinationRules().get(0);
    assertThat(rule.meta().id()).isEqualTo(id(DESTINATION_RULE, "bar", "httpbin"));
    assertThat(rule.host()).isEqualTo("httpbin.bar.svc.cluster.local");
    assertThat(rule.exportTo()).containsExactly(".", "foo");
    assertThat(rule.workloadSelector()).isEmpty();
    TrafficPolicy policy = rule.trafficPolicy().orElseThrow();
    assertThat(policy.loadBalancer()).contains(LoadBalancer.ROUND_ROBIN);
    assertThat(policy.tls()).contains(new ClientTls(TlsMode.MUTUAL,
        Optional.of("/etc/certs/client.pem"), Optional.of("/etc/certs/key.pem"),
        Optional.of("/etc/certs/ca.pem"), Optional.empty(),
        List.of("httpbin.bar.svc.cluster.local"), Optional.of("httpbin.example.com"), false));
    assertThat(policy.portLevelSettings()).containsExactly(new PortTrafficPolicy(8443,
        Optional.of(LoadBalancer.RANDOM),
        Optional.of(new ClientTls(TlsMode.SIMPLE, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), Optional.empty(), true))));
    assertThat(rule.subsets()).containsExactly(
        new Subset("v1", Map.of("version", "v1"), Optional.of(new TrafficPolicy(
            Optional.empty(), Optional.of(ClientTls.of(TlsMode.ISTIO_MUTUAL)), List.of()))),
        new Subset("v2", Map.of("version", "v2"), Optional.empty()));
  }

  @Test
  void loadsWorkloadSelectorAndCredentialName() {
    DestinationRule rule = loadRule("""
        host: api.example.com
        exportTo: ["."]
        workloadSelector:
          matchLabels:
            app: sleep
        trafficPolicy:
          tls:
            mode: MUTUAL
            credentialName: client-credential
        """);

    assertThat(rule.workloadSelector()).isEqualTo(Map.of("app", "sleep"));
    assertThat(rule.trafficPolicy().orElseThrow().tls().orElseThrow().credentialName())
        .contains("client-credential");
  }

  @Test
  void absentTlsModeIsDisable() {
    DestinationRule rule = loadRule("""
        host: httpbin
        trafficPolicy:
          tls: {sni: httpbin.example.com}
        """);

    assertThat(rule.trafficPolicy().orElseThrow().tls().orElseThrow().mode())
        .isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void leastConnIsAnAliasOfLeastRequest() {
    DestinationRule rule = loadRule("""
        host: httpbin
        trafficPolicy:
          loadBalancer: {simple: LEAST_CONN}
        """);

    assertThat(rule.trafficPolicy().orElseThrow().loadBalancer())
        .contains(LoadBalancer.LEAST_REQUEST);
  }

  @Test
  void fieldsWeftDoesNotModelAreAcceptedAndIgnored() {
    ConfigLoadResult result = load(rule("""
        host: httpbin
        trafficPolicy:
          connectionPool:
            tcp: {maxConnections: 100}
          outlierDetection:
            consecutive5xxErrors: 7
          loadBalancer:
            consistentHash: {httpHeaderName: x-user}
            localityLbSetting: {enabled: true}
            zoneAwareLbSetting: {enabled: true}
          tunnel: {protocol: CONNECT, targetHost: example.com, targetPort: 443}
          retryBudget: {percent: 20}
          portLevelSettings:
          - port: {number: 80}
            connectionPool:
              http: {http1MaxPendingRequests: 10}
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    TrafficPolicy policy = result.resources().destinationRules().get(0).trafficPolicy()
        .orElseThrow();
    assertThat(policy.loadBalancer()).contains(LoadBalancer.UNSPECIFIED);
    assertThat(policy.portLevelSettings())
        .containsExactly(new PortTrafficPolicy(80, Optional.empty(), Optional.empty()));
  }

  @Test
  void ignoredCertificateRevocationListIsWarnedAbout() {
    ConfigLoadResult result = load(rule("""
        host: httpbin
        trafficPolicy:
          tls:
            mode: SIMPLE
            caCertificates: /etc/certs/ca.pem
            caCrl: /etc/certs/crl.pem
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().destinationRules()).hasSize(1);
    assertThat(result.warnings()).singleElement().satisfies(warning -> {
      assertThat(warning.field()).isEqualTo("spec.trafficPolicy.tls.caCrl");
      assertThat(warning.message()).contains("revoked server certificate would be accepted");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "*.bar.svc.cluster.local", "httpbin", "httpbin.bar",
      "api.example.com."})
  void acceptsShortNamesDomainNamesAndLeadingWildcards(String host) {
    assertThat(loadRule("host: \"" + host + "\"\n").host()).isEqualTo(host);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "*foo.bar.svc.cluster.local | has a wildcard that is not a whole first label",
      "foo.*.cluster.local        | has a wildcard that is not a whole first label",
      "Httpbin.bar                | is not a valid domain name",
      "httpbin_v1.bar             | is not a valid domain name",
      "10.0.0.1                   | its last label \"1\" is all digits"})
  void invalidHostIsRejected(String host, String message) {
    ConfigProblem problem = errorBetweenValidDocuments(rule("host: \"" + host + "\"\n"));

    assertThat(problem.resource()).contains(id(DESTINATION_RULE, "bar", "httpbin"));
    assertThat(problem.field()).isEqualTo("spec.host");
    assertThat(problem.message()).contains(message);
  }

  @Test
  void missingHostIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("exportTo: ['*']\n"));

    assertThat(problem.field()).isEqualTo("spec.host");
    assertThat(problem.message()).isEqualTo("host is required");
  }

  @Test
  void mutualWithoutCertificateOrKeyIsRejected() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls:
            mode: MUTUAL
            caCertificates: /etc/certs/ca.pem
        """));

    assertThat(errors).extracting(ConfigProblem::field).containsExactly(
        "spec.trafficPolicy.tls.clientCertificate", "spec.trafficPolicy.tls.privateKey");
    assertThat(errors).extracting(ConfigProblem::message).containsExactly(
        "client certificate required for mutual tls", "private key required for mutual tls");
    assertThat(errors).allSatisfy(problem ->
        assertThat(problem.resource()).contains(id(DESTINATION_RULE, "bar", "httpbin")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SIMPLE", "MUTUAL"})
  void credentialNameWithFileCertificatesIsRejected(String mode) {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls:
            mode: %s
            credentialName: httpbin-credential
            caCertificates: /etc/certs/ca.pem
        """.formatted(mode)));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.tls.credentialName");
    assertThat(problem.message())
        .isEqualTo("cannot specify client certificates or CA certificate If credentialName is set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"clientCertificate", "privateKey", "caCertificates", "credentialName"})
  void istioMutualWithCertificateFieldsIsRejected(String field) {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          portLevelSettings:
          - port:
              number: 8080
            tls:
              mode: ISTIO_MUTUAL
              %s: something
        """.formatted(field)));

    assertThat(problem.field())
        .isEqualTo("spec.trafficPolicy.portLevelSettings[0].tls." + field);
    assertThat(problem.message()).isEqualTo("ISTIO_MUTUAL uses the workload's mesh certificate;"
        + " remove " + field + " or use MUTUAL");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SIMPLE | caCertificates: /ca.pem          | cannot specify CaCertificates or CredentialName"
          + " or SubjectAltNames when InsecureSkipVerify is set true",
      "SIMPLE | credentialName: secret           | cannot specify CaCertificates or CredentialName"
          + " or SubjectAltNames when InsecureSkipVerify is set true",
      "SIMPLE | 'subjectAltNames: [a.example]'   | cannot specify CaCertificates or CredentialName"
          + " or SubjectAltNames when InsecureSkipVerify is set true",
      "MUTUAL | 'subjectAltNames: [a.example]'   | cannot specify CaCertificates or"
          + " SubjectAltNames when InsecureSkipVerify is set true"})
  void insecureSkipVerifyWithVerificationSettingsIsRejected(
      String mode, String setting, String message) {
    List<ConfigProblem> errors = errorsBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls:
            mode: %s
            insecureSkipVerify: true
            clientCertificate: /cert.pem
            privateKey: /key.pem
            %s
        """.formatted(mode, setting)));

    assertThat(errors).extracting(ConfigProblem::field)
        .contains("spec.trafficPolicy.tls.insecureSkipVerify");
    assertThat(errors).extracting(ConfigProblem::message).contains(message);
  }

  @Test
  void insecureSkipVerifyMustBeABoolean() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls: {mode: SIMPLE, insecureSkipVerify: "true"}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.tls.insecureSkipVerify");
    assertThat(problem.message()).isEqualTo("expected true or false, found the string \"true\"");
  }

  @Test
  void unknownTlsModeIsRejectedListingTheValidOnes() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls: {mode: STRICT}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.tls.mode");
    assertThat(problem.message()).isEqualTo(
        "unknown TLS mode \"STRICT\"; valid values are DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL");
  }

  @Test
  void unknownLoadBalancerIsRejectedListingTheValidOnes() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          loadBalancer: {simple: WEIGHTED}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.loadBalancer.simple");
    assertThat(problem.message()).isEqualTo("unknown load balancer \"WEIGHTED\"; valid values are"
        + " UNSPECIFIED, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN");
  }

  @Test
  void portLevelSettingWithoutPortIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          portLevelSettings:
          - tls: {mode: ISTIO_MUTUAL}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.portLevelSettings[0].port");
    assertThat(problem.message()).isEqualTo("portTrafficPolicy must have valid port");
  }

  @Test
  void portLevelSettingWithOnlyAPortIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          portLevelSettings:
          - port: {number: 80}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.portLevelSettings[0]");
    assertThat(problem.message()).isEqualTo("port traffic policy must have at least one field");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}                 | spec.trafficPolicy.portLevelSettings[0].port.number"
          + " | required: a port number from 1 to 65535",
      "{number: 0}        | spec.trafficPolicy.portLevelSettings[0].port.number"
          + " | must be a port number from 1 to 65535, found 0",
      "{number: \"80\"}   | spec.trafficPolicy.portLevelSettings[0].port.number"
          + " | expected an integer, found the string \"80\"",
      "{number: 80.5}     | spec.trafficPolicy.portLevelSettings[0].port.number"
          + " | expected an integer, found the number 80.5",
      "80                 | spec.trafficPolicy.portLevelSettings[0].port"
          + " | expected a mapping, found the number 80"})
  void portLevelSettingWithInvalidPortIsRejected(String port, String field, String message) {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          portLevelSettings:
          - port: %s
            tls: {mode: ISTIO_MUTUAL}
        """.formatted(port)));

    assertThat(problem.field()).isEqualTo(field);
    assertThat(problem.message()).isEqualTo(message);
  }

  @Test
  void twoPortLevelSettingsForOnePortAreRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          portLevelSettings:
          - port: {number: 80}
            tls: {mode: ISTIO_MUTUAL}
          - port: {number: 80}
            tls: {mode: DISABLE}
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.portLevelSettings[1].port");
    assertThat(problem.message())
        .isEqualTo("port 80 already has settings in spec.trafficPolicy.portLevelSettings[0]");
  }

  @Test
  void emptyTrafficPolicyIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        subsets:
        - name: v1
          trafficPolicy: {}
        """));

    assertThat(problem.field()).isEqualTo("spec.subsets[0].trafficPolicy");
    assertThat(problem.message()).isEqualTo("traffic policy must have at least one field");
  }

  @Test
  void subsetsNeedUniqueDnsLabelNames() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments(rule("""
        host: httpbin
        subsets:
        - name: v1
        - name: v1
        - name: V_2
        - labels: {version: v3}
        """));

    assertThat(errors).extracting(ConfigProblem::field).containsExactly(
        "spec.subsets[1].name", "spec.subsets[2].name", "spec.subsets[3].name");
    assertThat(errors.get(0).message()).isEqualTo("duplicate subset names: v1");
    assertThat(errors.get(1).message()).startsWith("subset name is invalid: \"V_2\"");
    assertThat(errors.get(2).message()).isEqualTo("a subset needs a name");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'[\"~\"]'         | exportTo ~ (none) is not allowed for Istio configuration objects",
      "'[Foo]'           | only .,*, or a valid DNS 1123 label is allowed as exportTo entry",
      "'[foo, foo]'      | duplicate entries in exportTo for entry foo",
      "'[bar, .]'        | duplicate entries in exportTo: . and current namespace bar",
      "'[\"*\", foo]'    | cannot have both public (*) and non-public exportTo values for a"
          + " resource"})
  void invalidExportToIsRejected(String exportTo, String message) {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        exportTo: %s
        """.formatted(exportTo)));

    assertThat(problem.field()).startsWith("spec.exportTo");
    assertThat(problem.message()).isEqualTo(message);
  }

  @Test
  void workloadSelectorRuleMayNotBeExportedBeyondItsNamespace() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        exportTo: [foo]
        workloadSelector:
          matchLabels: {app: sleep}
        """));

    assertThat(problem.field()).isEqualTo("spec.exportTo");
    assertThat(problem.message()).isEqualTo(
        "destination rule with workload selector cannot have exportTo beyond current namespace");
  }

  @Test
  void unknownTrafficPolicyFieldIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls: {mode: ISTIO_MUTUAL}
          retries: 3
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.retries");
    assertThat(problem.message()).startsWith("unknown field \"retries\"; the fields here are"
        + " loadBalancer, tls, portLevelSettings, connectionPool");
  }

  @Test
  void subjectAltNamesMustBeAList() {
    ConfigProblem problem = errorBetweenValidDocuments(rule("""
        host: httpbin
        trafficPolicy:
          tls:
            mode: SIMPLE
            subjectAltNames: httpbin.example.com
        """));

    assertThat(problem.field()).isEqualTo("spec.trafficPolicy.tls.subjectAltNames");
    assertThat(problem.message())
        .isEqualTo("expected a list, found the string \"httpbin.example.com\"");
  }
}
