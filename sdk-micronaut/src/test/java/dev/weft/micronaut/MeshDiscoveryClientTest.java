package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.MtlsMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.discovery.CompositeDiscoveryClient;
import io.micronaut.discovery.DiscoveryClient;
import io.micronaut.discovery.ServiceInstance;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Micronaut's discovery, as {@code @Client(id = ...)} uses it, in an application of the
 * workload curl.bar: a service ID the mesh has a route for is one instance at the host and
 * port the ID names, and Weft's connections take it from there.
 */
class MeshDiscoveryClientTest {
  private static final MeshFolder folder = MeshFolder.create(MtlsMode.PERMISSIVE);
  private static ApplicationContext application;
  private static DiscoveryClient discovery;

  @BeforeAll
  static void start() {
    Map<String, Object> properties = new HashMap<>(folder.sleepProperties());
    properties.put("weft.namespace", "bar");
    properties.put("weft.service-account", "curl");
    application = ApplicationContext.run(properties, Environment.TEST);
    discovery = application.getBean(DiscoveryClient.class);
  }

  @AfterAll
  static void stop() {
    application.close();
  }

  @Test
  void theMeshIsOneOfTheDiscoveryClientsMicronautAsks() {
    assertThat(discovery).isInstanceOfSatisfying(CompositeDiscoveryClient.class,
        composite -> assertThat(composite.getDiscoveryClients())
            .extracting(DiscoveryClient::getDescription).contains("weft"));
  }

  @Test
  void aServiceIdWithItsPortIsOneInstanceAtThatHostAndPort() {
    List<ServiceInstance> instances = instances("httpbin.bar:8000");

    assertThat(instances).singleElement().satisfies(instance -> {
      assertThat(instance.getId()).isEqualTo("httpbin.bar:8000");
      assertThat(instance.getURI()).isEqualTo(URI.create("http://httpbin.bar:8000"));
      assertThat(instance.getMetadata().get("weft.cluster", String.class))
          .hasValue("outbound|8000||httpbin.bar.svc.cluster.local");
    });
  }

  @Test
  void theFullyQualifiedNameAndTheShortNameInTheOwnNamespaceResolveToo() {
    assertThat(instances("httpbin.bar.svc.cluster.local:8000")).singleElement()
        .extracting(ServiceInstance::getURI)
        .isEqualTo(URI.create("http://httpbin.bar.svc.cluster.local:8000"));
    assertThat(instances("httpbin:8000")).singleElement()
        .extracting(ServiceInstance::getURI).isEqualTo(URI.create("http://httpbin:8000"));
  }

  @Test
  void anIdWithoutAPortMeansPort80WhichThisServiceDoesNotHave() {
    assertThat(instances("httpbin.bar")).isEmpty();
  }

  @Test
  void anIdTheMeshHasNoRouteForHasNoInstanceHere() {
    assertThat(instances("nothing.bar:8000")).isEmpty();
    assertThat(instances("httpbin.bar:9999")).isEmpty();
    assertThat(instances("not a host")).isEmpty();
  }

  @Test
  void theMeshListsNoServiceIds() {
    assertThat(Mono.from(discovery.getServiceIds()).block(WAIT)).isEmpty();
  }

  private static List<ServiceInstance> instances(String serviceId) {
    return Mono.from(discovery.getInstances(serviceId)).block(WAIT);
  }
}
