package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.policy.Because;
import dev.weft.policy.EndpointRoute;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.OutboundDecision;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.ServiceRoute;
import dev.weft.policy.TlsMode;
import dev.weft.policy.Workload;
import dev.weft.policy.internal.Hosts;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns resolved policy into the xDS resources istiod's proxyless generator sends, with the
 * same names and shapes, for one workload and the names it asked for. Pure: no I/O.
 *
 * <p>Beyond istiod, and only in forms grpc-java accepts unchanged or rejects loudly: a Weft
 * workload gets PERMISSIVE as a plaintext chain matching {@code raw_buffer} plus an mTLS chain
 * matching {@code tls}; SIMPLE and MUTUAL DestinationRules get Envoy's file-based TLS contexts;
 * endpoints carry the per-endpoint auto-mTLS decision, and resources carry in {@code weft}
 * metadata the reasons Weft names in its errors.
 */
public final class XdsTranslator {
  private static final Logger log = LoggerFactory.getLogger(XdsTranslator.class);
  private static final String ROUTER = "envoy.filters.http.router";

  private final ResolvedPolicy policy;
  private final EndpointAddresses addresses;

  public XdsTranslator(ResolvedPolicy policy, EndpointAddresses addresses) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  /**
   * The resources of {@code typeUrl} that {@code node} asked for by {@code names}, keyed by
   * name; names that name nothing are left out, as istiod leaves them out. Empty names ask for
   * every client listener (LDS) and nothing else.
   */
  public Map<String, Message> resources(WorkloadNode node, String typeUrl, Collection<String> names) {
    Map<String, Message> resources = new LinkedHashMap<>();
    switch (typeUrl) {
      case XdsNames.LISTENER:
        for (String name : names.isEmpty() ? allClientListeners() : names) {
          listener(node, name).ifPresent(l -> resources.put(name, l));
        }
        break;
      case XdsNames.ROUTE:
        names.forEach(name -> routeConfiguration(node, name).ifPresent(r -> resources.put(name, r)));
        break;
      case XdsNames.CLUSTER:
        names.forEach(name -> cluster(node, name).ifPresent(c -> resources.put(name, c)));
        break;
      case XdsNames.ENDPOINT:
        names.forEach(name -> endpoints(node, name).ifPresent(e -> resources.put(name, e)));
        break;
      default:
        log.debug("{} asked for unsupported type {}", node.id(), typeUrl);
    }
    return resources;
  }

  private List<String> allClientListeners() {
    List<String> names = new ArrayList<>();
    for (Service service : policy.services()) {
      for (ServicePort port : service.ports()) {
        names.add(service.host() + ":" + port.port());
      }
    }
    return names;
  }

  private Optional<Listener> listener(WorkloadNode node, String name) {
    if (name.startsWith(XdsNames.INBOUND_LISTENER_PREFIX)) {
      return hostAndPort(name.substring(XdsNames.INBOUND_LISTENER_PREFIX.length()))
          .map(address -> serverListener(node, name, address));
    }
    Optional<HostAndPort> target = hostAndPort(name);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    Optional<ServiceRoute> route = route(node, target.get());
    if (route.isPresent()) {
      return Optional.of(clientListener(name, route.get()));
    }
    // istiod leaves the name out; a Weft client is told, so that it need not wait for it.
    return node.weft() ? Optional.of(absentListener(node, name, target.get())) : Optional.empty();
  }

  private Listener absentListener(WorkloadNode node, String name, HostAndPort target) {
    String host = Hosts.qualify(target.host(), node.namespace());
    String reason = policy.services().stream().anyMatch(s -> s.host().equals(host))
        ? "Service " + host + " has no port " + target.port()
        : "no Service " + host;
    return Listener.newBuilder().setName(name)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(XdsNames.WEFT_METADATA,
            Struct.newBuilder().putFields(XdsNames.ABSENT,
                Value.newBuilder().setStringValue(reason).build()).build()))
        .build();
  }

  /** The route a client means by {@code host:port}, resolving short names in its namespace. */
  private Optional<ServiceRoute> route(WorkloadNode node, HostAndPort target) {
    String host = Hosts.qualify(target.host(), node.namespace());
    return policy.outbound(node.workload()).route(host, target.port());
  }

  private Listener serverListener(WorkloadNode node, String name, HostAndPort address) {
    Workload workload = node.workload();
    // A server on a bound address asks by that address; the policy is its container port's.
    int port = node.containerPort(address);
    InboundDecision decision = policy.inbound(workload).decision(port);
    List<Because> because = new ArrayList<>(decision.because());
    MtlsMode mode = decision.mode();
    if (mode == MtlsMode.PERMISSIVE && !node.weft()) {
      // What istiod sends a proxyless server: gRPC cannot sniff TLS, so PERMISSIVE becomes
      // mTLS for a workload labelled as meshed and plaintext otherwise.
      mode = workload.meshEnabled() ? MtlsMode.STRICT : MtlsMode.DISABLE;
      because.add(0, Because.of("PERMISSIVE sent as " + mode + ", as istiod sends it to a "
          + "server without Weft" + (workload.meshEnabled() ? " labelled "
          + Workload.TLS_MODE_LABEL + "=" + Workload.TLS_MODE_ISTIO : "")));
    }
    List<FilterChain> chains = new ArrayList<>();
    if (mode == MtlsMode.PERMISSIVE) {
      chains.add(plaintextChain(port, Optional.of("raw_buffer")));
      chains.add(mtlsChain(port, Optional.of("tls")));
    } else if (mode == MtlsMode.STRICT) {
      chains.add(mtlsChain(port, Optional.empty()));
    } else {
      chains.add(plaintextChain(port, Optional.empty()));
    }
    return Listener.newBuilder()
        .setName(name)
        .setAddress(socketAddress(address.host(), address.port()))
        .addAllFilterChains(chains)
        .setMetadata(weft(Map.of("mode", Value.newBuilder().setStringValue(mode.name()).build()),
            because))
        .build();
  }

  private static FilterChain plaintextChain(int port, Optional<String> transportProtocol) {
    return chain("inbound-plaintext", port, transportProtocol).build();
  }

  private static FilterChain mtlsChain(int port, Optional<String> transportProtocol) {
    return chain("inbound-mtls", port, transportProtocol)
        .setTransportSocket(TransportSocket.newBuilder()
            .setName(XdsNames.TLS_TRANSPORT_SOCKET)
            .setTypedConfig(Any.pack(TlsContexts.server())))
        .build();
  }

  private static FilterChain.Builder chain(
      String name, int port, Optional<String> transportProtocol) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(name)
        .setRouteConfig(RouteConfiguration.newBuilder()
            .setName("inbound")
            .addVirtualHosts(VirtualHost.newBuilder()
                .setName("inbound|http|" + port)
                .addDomains("*")
                .addRoutes(Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setNonForwardingAction(NonForwardingAction.getDefaultInstance()))))
        .addHttpFilters(router())
        .build();
    FilterChain.Builder chain = FilterChain.newBuilder()
        .setName(name)
        .addFilters(Filter.newBuilder().setName("inbound-hcm").setTypedConfig(Any.pack(hcm)));
    transportProtocol.ifPresent(protocol -> chain.setFilterChainMatch(
        FilterChainMatch.newBuilder().setTransportProtocol(protocol)));
    return chain;
  }

  private static Listener clientListener(String name, ServiceRoute route) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder()
            .setConfigSource(ads())
            .setRouteConfigName(XdsNames.cluster(route.service().host(), route.port().port())))
        .addHttpFilters(router())
        .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(socketAddress("0.0.0.0", route.port().port()))
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  private Optional<RouteConfiguration> routeConfiguration(WorkloadNode node, String name) {
    return defaultCluster(name).flatMap(cluster ->
        policy.outbound(node.workload()).route(cluster.host(), cluster.port())
            .map(route -> RouteConfiguration.newBuilder()
                .setName(name)
                .addVirtualHosts(VirtualHost.newBuilder()
                    .setName(cluster.host() + ":" + cluster.port())
                    .addAllDomains(domains(route.service(), cluster.port(), node.namespace()))
                    .addRoutes(Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(name))))
                .build()));
  }

  /** Every spelling a client may use for the host, with and without the port, as istiod lists them. */
  private static List<String> domains(Service service, int port, String clientNamespace) {
    String name = service.meta().name();
    String namespace = service.meta().namespace();
    List<String> hosts = new ArrayList<>(List.of(service.host(), name + "." + namespace + ".svc",
        name + "." + namespace));
    if (namespace.equals(clientNamespace)) {
      hosts.add(name);
    }
    List<String> domains = new ArrayList<>();
    for (String host : hosts) {
      domains.add(host);
      domains.add(host + ":" + port);
    }
    return domains;
  }

  private Optional<Cluster> cluster(WorkloadNode node, String name) {
    return defaultCluster(name).flatMap(cluster ->
        policy.outbound(node.workload()).route(cluster.host(), cluster.port()).map(route -> {
          Cluster.Builder built = Cluster.newBuilder()
              .setName(name)
              .setType(Cluster.DiscoveryType.EDS)
              .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                  .setEdsConfig(ads())
                  .setServiceName(name))
              .setLbPolicy(lbPolicy(route.loadBalancer(), node.weft()));
          List<Because> because = List.of();
          if (route.ruleTls().isPresent()) {
            OutboundDecision tls = route.ruleTls().get();
            because = tls.because();
            if (tls.mode() != TlsMode.DISABLE) {
              built.setTransportSocket(TransportSocket.newBuilder()
                  .setName(XdsNames.TLS_TRANSPORT_SOCKET)
                  .setTypedConfig(Any.pack(TlsContexts.client(tls.settings().orElseThrow(),
                      identities(route)))));
            }
          }
          return built.setMetadata(weft(Map.of(), because)).build();
        }));
  }

  /** istiod's LB mapping for proxyless gRPC; a Weft client also honours RANDOM. */
  private static Cluster.LbPolicy lbPolicy(LoadBalancer loadBalancer, boolean weft) {
    switch (loadBalancer) {
      case LEAST_REQUEST:
        return Cluster.LbPolicy.LEAST_REQUEST;
      case RANDOM:
        return weft ? Cluster.LbPolicy.RANDOM : Cluster.LbPolicy.ROUND_ROBIN;
      default:
        return Cluster.LbPolicy.ROUND_ROBIN;
    }
  }

  /** The SPIFFE IDs of the service's endpoints: what a mesh mTLS client expects, as istiod's service accounts. */
  private List<String> identities(ServiceRoute route) {
    TreeSet<String> ids = new TreeSet<>();
    for (EndpointRoute endpoint : route.endpoints()) {
      ids.add(identity(endpoint.workload()));
    }
    return new ArrayList<>(ids);
  }

  private String identity(Workload workload) {
    return workload.spiffeId(policy.meshConfig().trustDomain()).toString();
  }

  private Optional<ClusterLoadAssignment> endpoints(WorkloadNode node, String name) {
    return defaultCluster(name).flatMap(cluster ->
        policy.outbound(node.workload()).route(cluster.host(), cluster.port()).map(route -> {
          LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
          for (EndpointRoute endpoint : route.endpoints()) {
            addresses.address(endpoint.workload(), endpoint.targetPort()).ifPresent(address ->
                locality.addLbEndpoints(lbEndpoint(endpoint, address, route)));
          }
          ClusterLoadAssignment.Builder assignment =
              ClusterLoadAssignment.newBuilder().setClusterName(name);
          if (locality.getLbEndpointsCount() > 0) {
            assignment.addEndpoints(locality.setLoadBalancingWeight(
                UInt32Value.of(locality.getLbEndpointsCount())));
          }
          return assignment.build();
        }));
  }

  private LbEndpoint lbEndpoint(EndpointRoute endpoint, HostAndPort address, ServiceRoute route) {
    Metadata.Builder metadata = Metadata.newBuilder();
    if (endpoint.tls().mode() == TlsMode.ISTIO_MUTUAL) {
      metadata.putFilterMetadata(XdsNames.TRANSPORT_SOCKET_MATCH, Struct.newBuilder()
          .putFields("tlsMode", Value.newBuilder().setStringValue("istio").build()).build());
    }
    Workload workload = endpoint.workload();
    metadata.putFilterMetadata("istio", Struct.newBuilder().putFields("workload",
        Value.newBuilder().setStringValue(workload.name() + ";" + workload.namespace() + ";"
            + route.service().meta().name() + ";;").build()).build());
    metadata.putFilterMetadata(XdsNames.WEFT_METADATA, weft(Map.of(
            "identity", Value.newBuilder().setStringValue(identity(workload)).build(),
            XdsNames.SERVER_MODE, Value.newBuilder().setStringValue(serverMode(endpoint)).build(),
            XdsNames.SERVER_BECAUSE, reasons(serverBecause(endpoint))),
        endpoint.tls().because()).getFilterMetadataOrThrow(XdsNames.WEFT_METADATA));
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(socketAddress(address.host(), address.port())))
        .setHealthStatus(HealthStatus.HEALTHY)
        .setLoadBalancingWeight(UInt32Value.of(1))
        .setMetadata(metadata)
        .build();
  }

  /** What the endpoint's server accepts on the port: its own policy, or plaintext without Weft. */
  private String serverMode(EndpointRoute endpoint) {
    return endpoint.workload().meshEnabled()
        ? policy.inbound(endpoint.workload()).decision(endpoint.targetPort()).mode().name()
        : MtlsMode.DISABLE.name();
  }

  private List<Because> serverBecause(EndpointRoute endpoint) {
    Workload workload = endpoint.workload();
    return workload.meshEnabled()
        ? policy.inbound(workload).decision(endpoint.targetPort()).because()
        : List.of(Because.of(workload + " runs neither Weft nor a sidecar: plaintext only"));
  }

  /** Weft's own metadata: extra fields and the reasons behind a decision, which grpc-java ignores. */
  private static Metadata weft(Map<String, Value> fields, List<Because> because) {
    return Metadata.newBuilder().putFilterMetadata(XdsNames.WEFT_METADATA, Struct.newBuilder()
        .putAllFields(fields)
        .putFields("because", reasons(because))
        .build()).build();
  }

  private static Value reasons(List<Because> because) {
    ListValue.Builder reasons = ListValue.newBuilder();
    for (Because reason : because) {
      reasons.addValues(Value.newBuilder().setStringValue(reason.toString()));
    }
    return Value.newBuilder().setListValue(reasons).build();
  }

  private static Optional<XdsNames.ClusterName> defaultCluster(String name) {
    Optional<XdsNames.ClusterName> cluster = XdsNames.parseCluster(name);
    if (cluster.isPresent() && !cluster.get().subset().isEmpty()) {
      // Subsets are reached only through VirtualService routes, which Weft does not support.
      log.debug("subset cluster {} is not served: Weft does not route to subsets", name);
      return Optional.empty();
    }
    return cluster;
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  private static HttpFilter router() {
    return HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance()))
        .build();
  }

  private static Address socketAddress(String host, int port) {
    return Address.newBuilder().setSocketAddress(
        SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }

  /** {@code host:port} in a resource name; empty for a name that is not one. */
  private static Optional<HostAndPort> hostAndPort(String name) {
    try {
      return Optional.of(HostAndPort.parse(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
