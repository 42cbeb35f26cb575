package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtual host for a host and port is chosen in Envoy's and grpc-java's order. */
class VirtualHostMatcherTest {
  private static final String HOST = "httpbin.bar.svc.cluster.local";

  @Test
  void anExactHostAndPortBeatsTheExactHost() throws Exception {
    assertThat(chosen(HOST, 8000, List.of(HOST), List.of(HOST + ":8000"))).isEqualTo("vh1");
    assertThat(chosen(HOST, 9000, List.of(HOST), List.of(HOST + ":8000"))).isEqualTo("vh0");
  }

  @Test
  void anExactHostBeatsEveryWildcard() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("*.bar.svc.cluster.local", "httpbin.*", "*"),
        List.of(HOST))).isEqualTo("vh1");
  }

  @Test
  void theLongestSuffixWildcardWins() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("*.cluster.local"), List.of("*.bar.svc.cluster.local"),
        List.of("*.svc.cluster.local"))).isEqualTo("vh1");
  }

  @Test
  void aSuffixWildcardBeatsALongerPrefixWildcard() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("httpbin.bar.svc.*"), List.of("*.local")))
        .isEqualTo("vh1");
  }

  @Test
  void theLongestPrefixWildcardBeatsAny() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("*"), List.of("httpbin.*"), List.of("httpbin.bar.*")))
        .isEqualTo("vh2");
  }

  @Test
  void anyMatchesWhatNothingElseDoes() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("sleep.foo"), List.of("*"))).isEqualTo("vh1");
  }

  @Test
  void aPortQualifiedWildcardMatchesOnlyThatPort() throws Exception {
    assertThat(chosen("httpbin.bar", 8000, List.of("*"), List.of("*.bar:8000")))
        .isEqualTo("vh1");
    assertThat(chosen("httpbin.bar", 9000, List.of("*"), List.of("*.bar:8000")))
        .isEqualTo("vh0");
  }

  @Test
  void domainsMatchWithoutRegardToCase() throws Exception {
    assertThat(chosen("HTTPBIN.bar", 8000, List.of("*"), List.of("httpbin.BAR")))
        .isEqualTo("vh1");
  }

  @Test
  void aWildcardMatchesAtLeastOneCharacter() throws Exception {
    assertThat(chosen("httpbin.bar", 8000, List.of("*"), List.of("*httpbin.bar"),
        List.of("httpbin.bar:8000*"))).isEqualTo("vh0");
    assertThat(chosen("httpbin.bar", 8000, List.of("*"), List.of("httpbin.bar*")))
        .as("the port is the character").isEqualTo("vh1");
  }

  @Test
  void theFirstVirtualHostWinsATie() throws Exception {
    assertThat(chosen(HOST, 8000, List.of("*.cluster.local"), List.of("*.cluster.local")))
        .isEqualTo("vh0");
  }

  /** The cluster of the chosen virtual host; virtual host {@code i} routes to {@code vh<i>}. */
  @SafeVarargs
  private static String chosen(String host, int port, List<String>... domains)
      throws InvalidResourceException {
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName("routes");
    for (int i = 0; i < domains.length; i++) {
      config.addVirtualHosts(VirtualHost.newBuilder().setName("vh" + i)
          .addAllDomains(domains[i]).addRoutes(IstiodShapes.defaultRoute("vh" + i)));
    }
    return XdsInterpreter.clusterName(config.build(), host, port);
  }
}
