package dev.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which port of an endpoint a Service port's traffic goes to, for pods and WorkloadEntries. */
class EndpointPortTest {
  private static final ServicePort HTTP = new ServicePort("http", 8000, TargetPort.number(80));
  private static final ServicePort NAMED = new ServicePort("http", 8000, TargetPort.named("web"));

  @Test
  void aPodTakesTheNumericTargetPortWhateverItsPortsAreNamed() {
    Workload pod = new Workload("bar", "httpbin", Map.of(), "httpbin", true,
        Map.of("http", 9090, "web", 8080));

    assertThat(pod.endpointPort(HTTP)).hasValue(80);
    assertThat(pod.endpointPort(NAMED)).hasValue(8080);
  }

  @Test
  void aWorkloadEntryTakesItsPortNamedLikeTheServicePortFirst() {
    Workload entry = entry(Map.of("http", 18081));

    assertThat(entry.endpointPort(HTTP)).hasValue(18081);
    assertThat(entry(Map.of()).endpointPort(HTTP)).hasValue(80);
  }

  @Test
  void aWorkloadEntryWithoutTheNamedTargetPortIsNoEndpointOfIt() {
    assertThat(entry(Map.of("http", 18081)).endpointPort(NAMED)).isEmpty();
    assertThat(entry(Map.of("web", 7000)).endpointPort(NAMED)).hasValue(7000);
  }

  @Test
  void theRouteLeadsToTheWorkloadEntrysPort() {
    WorkloadEntry vm = new WorkloadEntry(Fixtures.meta(ResourceKind.WORKLOAD_ENTRY, "bar", "vm"),
        "10.0.0.7", Map.of("app", "httpbin"), "httpbin", Map.of("http", 18081));
    MeshResources resources = new MeshResources(MeshConfig.DEFAULT, List.of(), List.of(),
        List.of(Fixtures.httpbinService("bar")), List.of(vm));
    Workload sleep = Fixtures.sleep("foo", true);

    ServiceRoute route = PolicyResolver.resolve(resources, List.of(sleep)).outbound(sleep)
        .route(Fixtures.host("bar"), 8000).orElseThrow();

    assertThat(route.endpoints()).singleElement()
        .satisfies(endpoint -> assertThat(endpoint.targetPort()).isEqualTo(18081));
  }

  private static Workload entry(Map<String, Integer> ports) {
    return new WorkloadEntry(Fixtures.meta(ResourceKind.WORKLOAD_ENTRY, "bar", "vm"), "10.0.0.7",
        Map.of("app", "httpbin"), "httpbin", ports).toWorkload();
  }
}
