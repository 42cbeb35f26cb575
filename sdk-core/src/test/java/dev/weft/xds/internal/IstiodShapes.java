package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
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
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CertificateProviderInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/** xDS resources written by hand in the shapes istiod sends proxyless gRPC; no Weft metadata. */
final class IstiodShapes {
  static final String FQDN = "httpbin.bar.svc.cluster.local";
  static final String CLUSTER = "outbound|8000||" + FQDN;
  static final String SERVER_LISTENER = "xds.istio.io/grpc/lds/inbound/0.0.0.0:80";
  static final String HTTPBIN_ID = "spiffe://cluster.local/ns/bar/sa/httpbin";

  /** Which generation of Envoy's certificate-provider fields a context uses. */
  enum Providers {
    /** Istio up to 1.28. */
    DEPRECATED,
    /** Only the current fields. */
    CURRENT,
    /** Istio 1.29 and Weft. */
    BOTH
  }

  private IstiodShapes() {}

  static Listener serverListener(FilterChain... chains) {
    return Listener.newBuilder()
        .setName(SERVER_LISTENER)
        .setAddress(address("0.0.0.0", 80))
        .addAllFilterChains(List.of(chains))
        .build();
  }

  static FilterChain plaintextChain() {
    return chain("inbound-plaintext").build();
  }

  static FilterChain mtlsChain(Providers providers) {
    return chain("inbound-mtls").setTransportSocket(tls(serverTls(providers).build())).build();
  }

  static FilterChain.Builder chain(String name) {
    return FilterChain.newBuilder()
        .setName(name)
        .addFilters(Filter.newBuilder().setName("inbound-hcm")
            .setTypedConfig(Any.pack(inboundHcm().build())));
  }

  static HttpConnectionManager.Builder inboundHcm() {
    return HttpConnectionManager.newBuilder()
        .setRouteConfig(RouteConfiguration.newBuilder()
            .setName("inbound")
            .addVirtualHosts(VirtualHost.newBuilder()
                .addDomains("*")
                .addRoutes(Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setNonForwardingAction(NonForwardingAction.getDefaultInstance()))))
        .addHttpFilters(router());
  }

  static DownstreamTlsContext.Builder serverTls(Providers providers) {
    return DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(mesh(providers, List.of()))
        .setRequireClientCertificate(BoolValue.of(true));
  }

  /** istiod's buildCommonTLSContext, in the generation asked for. */
  @SuppressWarnings("deprecation")
  static CommonTlsContext.Builder mesh(Providers providers, List<String> sans) {
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
    sans.forEach(san ->
        validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
    CombinedCertificateValidationContext.Builder combined =
        CombinedCertificateValidationContext.newBuilder();
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    if (providers != Providers.CURRENT) {
      common.setTlsCertificateCertificateProviderInstance(deprecated("default", "default"));
      combined.setValidationContextCertificateProviderInstance(deprecated("default", "ROOTCA"));
    }
    if (providers != Providers.DEPRECATED) {
      common.setTlsCertificateProviderInstance(current("default", "default"));
      validation.setCaCertificateProviderInstance(current("default", "ROOTCA"));
    }
    return common.setCombinedValidationContext(combined.setDefaultValidationContext(validation));
  }

  static CertificateProviderPluginInstance current(String instance, String certificate) {
    return CertificateProviderPluginInstance.newBuilder()
        .setInstanceName(instance).setCertificateName(certificate).build();
  }

  static CertificateProviderInstance deprecated(String instance, String certificate) {
    return CertificateProviderInstance.newBuilder()
        .setInstanceName(instance).setCertificateName(certificate).build();
  }

  static TransportSocket tls(Message context) {
    return TransportSocket.newBuilder()
        .setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(context))
        .build();
  }

  /** istiod's client listener: fault and router filters, routes by RDS over ADS. */
  static Listener clientListener(String name) {
    return clientListener(name, clientHcm().build());
  }

  static Listener clientListener(String name, HttpConnectionManager hcm) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address("10.0.0.1", 8000))
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  static HttpConnectionManager.Builder clientHcm() {
    return HttpConnectionManager.newBuilder()
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault")
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        .addHttpFilters(router())
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(CLUSTER));
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder().setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
  }

  /** istiod's sidecar-style route configuration, one virtual host with every spelling. */
  static RouteConfiguration routeConfiguration(VirtualHost... hosts) {
    return RouteConfiguration.newBuilder().setName(CLUSTER).addAllVirtualHosts(List.of(hosts))
        .build();
  }

  static VirtualHost.Builder httpbinHost() {
    return VirtualHost.newBuilder()
        .setName(FQDN + ":8000")
        .addAllDomains(List.of(FQDN, FQDN + ":8000", "httpbin", "httpbin:8000", "httpbin.bar",
            "httpbin.bar:8000", "httpbin.bar.svc", "httpbin.bar.svc:8000", "10.0.0.1",
            "10.0.0.1:8000"))
        .addRoutes(defaultRoute(CLUSTER));
  }

  /** istiod's default route: prefix {@code /}, with its timeout and retry policy. */
  static Route defaultRoute(String cluster) {
    return Route.newBuilder()
        .setName("default")
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder()
            .setCluster(cluster)
            .setTimeout(Duration.getDefaultInstance())
            .setRetryPolicy(RetryPolicy.newBuilder()
                .setRetryOn("connect-failure,refused-stream,unavailable,cancelled")
                .setNumRetries(UInt32Value.of(2))))
        .build();
  }

  /** istiod's EDS cluster, without TLS: auto mTLS. */
  static Cluster.Builder cluster() {
    return Cluster.newBuilder()
        .setName(CLUSTER)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setServiceName(CLUSTER)
            .setEdsConfig(ads()));
  }

  /** istiod's cluster for ISTIO_MUTUAL. */
  static Cluster.Builder istioMutualCluster(Providers providers, List<String> sans) {
    return cluster().setTransportSocket(tls(UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(mesh(providers, sans)).build()));
  }

  static ClusterLoadAssignment assignment(LbEndpoint... endpoints) {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(CLUSTER)
        .addEndpoints(LocalityLbEndpoints.newBuilder().addAllLbEndpoints(List.of(endpoints)))
        .build();
  }

  /** An endpoint istiod labels for auto mTLS when its pod has a sidecar or is labelled. */
  static LbEndpoint.Builder meshEndpoint(String ip) {
    return endpoint(ip).setMetadata(Metadata.newBuilder()
        .putFilterMetadata("envoy.transport_socket_match", struct("tlsMode", "istio"))
        .putFilterMetadata("istio", struct("workload", "httpbin;bar;httpbin;;")));
  }

  static LbEndpoint.Builder endpoint(String ip) {
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(address(ip, 80)))
        .setHealthStatus(HealthStatus.HEALTHY);
  }

  static Struct struct(String key, String value) {
    return Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build())
        .build();
  }

  static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
  }

  static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }
}
