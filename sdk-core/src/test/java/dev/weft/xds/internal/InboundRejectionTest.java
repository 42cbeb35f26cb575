package dev.weft.xds.internal;

import static dev.weft.xds.internal.Rejections.assertRejected;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every server listener Weft cannot apply is rejected, naming the listener and the field. */
class InboundRejectionTest {
  private static final String LISTENER = "Listener " + IstiodShapes.SERVER_LISTENER;
  private static final String CHAIN = "filter_chains[0]";
  private static final String CONTEXT = CHAIN + ".transport_socket.typed_config";
  private static final String COMMON = CONTEXT + ".common_tls_context";
  private static final String VALIDATION =
      COMMON + ".combined_validation_context.default_validation_context";

  @Test
  void aListenerWithoutChainsIsNotReadAsPlaintext() {
    assertInboundRejected(IstiodShapes.serverListener(), "filter_chains", "is empty");
  }

  @Test
  void aTlsChainMustRequireAClientCertificate() {
    assertInboundRejected(mtls(IstiodShapes.serverTls(Providers.BOTH)
            .setRequireClientCertificate(BoolValue.of(false))),
        CONTEXT + ".require_client_certificate", "a TLS chain must require a client certificate");
    assertInboundRejected(mtls(IstiodShapes.serverTls(Providers.BOTH)
            .clearRequireClientCertificate()),
        CONTEXT + ".require_client_certificate", "a TLS chain must require a client certificate");
  }

  @Test
  @SuppressWarnings("deprecation")
  void aCertificateProviderOtherThanDefaultIsRejectedInEitherGeneration() {
    DownstreamTlsContext.Builder current = IstiodShapes.serverTls(Providers.CURRENT);
    current.getCommonTlsContextBuilder()
        .setTlsCertificateProviderInstance(IstiodShapes.current("spire", "default"));
    assertInboundRejected(mtls(current),
        COMMON + ".tls_certificate_provider_instance.instance_name", "is \"spire\"");

    DownstreamTlsContext.Builder deprecated = IstiodShapes.serverTls(Providers.DEPRECATED);
    deprecated.getCommonTlsContextBuilder().getCombinedValidationContextBuilder()
        .setValidationContextCertificateProviderInstance(
            IstiodShapes.deprecated("spire", "ROOTCA"));
    assertInboundRejected(mtls(deprecated),
        COMMON + ".combined_validation_context.validation_context_certificate_provider_instance"
            + ".instance_name", "is \"spire\"");
  }

  @Test
  void meshMtlsWithoutTheMeshRootsIsRejected() {
    DownstreamTlsContext.Builder tls = IstiodShapes.serverTls(Providers.CURRENT);
    tls.getCommonTlsContextBuilder().getCombinedValidationContextBuilder()
        .getDefaultValidationContextBuilder().clearCaCertificateProviderInstance();

    assertInboundRejected(mtls(tls), VALIDATION + ".ca_certificate_provider_instance",
        "is missing");
  }

  @Test
  @SuppressWarnings("deprecation")
  void aServerMatchingClientNamesIsRejected() {
    DownstreamTlsContext.Builder tls = IstiodShapes.serverTls(Providers.BOTH);
    tls.getCommonTlsContextBuilder().getCombinedValidationContextBuilder()
        .getDefaultValidationContextBuilder()
        .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(IstiodShapes.HTTPBIN_ID));

    assertInboundRejected(mtls(tls), VALIDATION + ".match_subject_alt_names",
        "a server does not match its clients' names");
  }

  @Test
  void certificateFilesOnAServerAreRejected() {
    DownstreamTlsContext.Builder tls = IstiodShapes.serverTls(Providers.BOTH);
    tls.getCommonTlsContextBuilder().addTlsCertificates(TlsCertificate.getDefaultInstance());

    assertInboundRejected(mtls(tls), COMMON + ".tls_certificates", "Weft does not support it");
  }

  @Test
  void aTransportSocketOtherThanTlsIsRejected() {
    FilterChain chain = IstiodShapes.mtlsChain(Providers.BOTH).toBuilder()
        .setTransportSocket(IstiodShapes.tls(IstiodShapes.serverTls(Providers.BOTH).build())
            .toBuilder().setName("envoy.transport_sockets.alts"))
        .build();

    assertInboundRejected(IstiodShapes.serverListener(chain), CHAIN + ".transport_socket.name",
        "is \"envoy.transport_sockets.alts\"");
  }

  @Test
  void aClientTlsContextOnAServerIsRejected() {
    FilterChain chain = IstiodShapes.mtlsChain(Providers.BOTH).toBuilder()
        .setTransportSocket(IstiodShapes.tls(UpstreamTlsContext.getDefaultInstance())).build();

    assertInboundRejected(IstiodShapes.serverListener(chain), CONTEXT, "not DownstreamTlsContext");
  }

  static Stream<Arguments> chainMatches() {
    return Stream.of(
        Arguments.of(FilterChainMatch.newBuilder().addServerNames("httpbin"), "server_names"),
        Arguments.of(FilterChainMatch.newBuilder().addApplicationProtocols("h2"),
            "application_protocols"),
        Arguments.of(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(80)),
            "destination_port"),
        Arguments.of(FilterChainMatch.newBuilder().addSourcePrefixRanges(
            CidrRange.newBuilder().setAddressPrefix("10.0.0.0")), "source_prefix_ranges"),
        Arguments.of(FilterChainMatch.newBuilder().addPrefixRanges(
            CidrRange.newBuilder().setAddressPrefix("10.0.0.0")), "prefix_ranges"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("chainMatches")
  void aChainMatchOnAnythingButTheTransportProtocolIsRejected(
      FilterChainMatch.Builder match, String field) {
    assertInboundRejected(IstiodShapes.serverListener(
            IstiodShapes.chain("inbound-plaintext").setFilterChainMatch(match).build()),
        CHAIN + ".filter_chain_match." + field, "Weft does not support it");
  }

  @Test
  void anUnknownTransportProtocolIsRejected() {
    assertInboundRejected(IstiodShapes.serverListener(IstiodShapes.chain("inbound-plaintext")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("quic"))
            .build()),
        CHAIN + ".filter_chain_match.transport_protocol", "is \"quic\"");
  }

  @Test
  void aDefaultFilterChainIsRejected() {
    Listener listener = IstiodShapes.serverListener(IstiodShapes.plaintextChain()).toBuilder()
        .setDefaultFilterChain(IstiodShapes.plaintextChain()).build();

    assertInboundRejected(listener, "default_filter_chain", "Weft does not support it");
  }

  @Test
  void twoPlaintextChainsAreRejected() {
    assertInboundRejected(IstiodShapes.serverListener(
            IstiodShapes.plaintextChain(), IstiodShapes.plaintextChain()),
        "filter_chains", "has plaintext, plaintext; Weft accepts one chain");
  }

  @Test
  void twoChainsThatDoNotSplitByTransportProtocolAreRejected() {
    assertInboundRejected(IstiodShapes.serverListener(
            IstiodShapes.mtlsChain(Providers.BOTH), IstiodShapes.chain("inbound-plaintext")
                .setFilterChainMatch(FilterChainMatch.newBuilder()
                    .setTransportProtocol("raw_buffer")).build()),
        "filter_chains", "has mTLS, plaintext matching raw_buffer");
  }

  @Test
  void aChainMatchingTlsMustHaveTls() {
    assertInboundRejected(IstiodShapes.serverListener(IstiodShapes.chain("inbound-mtls")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
            .build()),
        CHAIN + ".transport_socket", "is missing on a chain that matches TLS connections");
  }

  @Test
  void aChainMatchingRawBufferMustNotHaveTls() {
    assertInboundRejected(IstiodShapes.serverListener(IstiodShapes.mtlsChain(Providers.BOTH)
            .toBuilder()
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
            .build()),
        CHAIN + ".transport_socket", "is set on a chain that matches only plaintext");
  }

  @Test
  void weftsDeclaredModeMustAgreeWithTheChains() {
    Listener listener = IstiodShapes.serverListener(IstiodShapes.plaintextChain()).toBuilder()
        .setMetadata(Metadata.newBuilder().putFilterMetadata("weft",
            IstiodShapes.struct("mode", "PERMISSIVE")))
        .build();

    assertInboundRejected(listener, "metadata.filter_metadata.weft.mode",
        "is PERMISSIVE, but the filter chains say DISABLE");
  }

  @Test
  void reasonsThatAreNotStringsAreRejected() {
    Listener listener = IstiodShapes.serverListener(IstiodShapes.plaintextChain()).toBuilder()
        .setMetadata(Metadata.newBuilder().putFilterMetadata("weft", Struct.newBuilder()
            .putFields("because", Value.newBuilder().setListValue(ListValue.newBuilder()
                .addValues(Value.newBuilder().setNumberValue(1))).build())
            .build()))
        .build();

    assertInboundRejected(listener, "metadata.filter_metadata.weft.because[0]",
        "is not a string");
  }

  @Test
  void anAuthorizationPolicyIsRejectedRatherThanIgnored() {
    HttpConnectionManager hcm = IstiodShapes.inboundHcm().addHttpFilters(0, HttpFilter.newBuilder()
        .setName("envoy.filters.http.rbac").setTypedConfig(Any.pack(RBAC.getDefaultInstance())))
        .build();

    assertInboundRejected(withHcm(hcm), CHAIN + ".filters[0].typed_config.http_filters[0]",
        "AuthorizationPolicy is not supported by Weft");
  }

  @Test
  void aServerRouteThatSelectsRequestsIsRejected() {
    HttpConnectionManager.Builder hcm = IstiodShapes.inboundHcm();
    hcm.getRouteConfigBuilder().getVirtualHostsBuilder(0).getRoutesBuilder(0)
        .setMatch(RouteMatch.newBuilder().setPrefix("/admin"));

    assertInboundRejected(withHcm(hcm.build()),
        CHAIN + ".filters[0].typed_config.route_config.virtual_hosts[0].routes[0].match",
        "does not match every request");
  }

  @Test
  void aChainWithAnotherFilterIsRejected() {
    FilterChain chain = IstiodShapes.plaintextChain().toBuilder()
        .addFilters(IstiodShapes.plaintextChain().getFilters(0)).build();

    assertInboundRejected(IstiodShapes.serverListener(chain), CHAIN + ".filters",
        "has 2 filters");
  }

  @Test
  void aFieldWeftDoesNotKnowIsRejected() {
    Listener listener = IstiodShapes.serverListener(IstiodShapes.plaintextChain()).toBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(999,
            UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
        .build();

    assertInboundRejected(listener, "#999", "is a field Weft does not know");
  }

  private static Listener mtls(DownstreamTlsContext.Builder tls) {
    return IstiodShapes.serverListener(IstiodShapes.chain("inbound-mtls")
        .setTransportSocket(IstiodShapes.tls(tls.build())).build());
  }

  private static Listener withHcm(HttpConnectionManager hcm) {
    FilterChain.Builder chain = IstiodShapes.plaintextChain().toBuilder();
    chain.getFiltersBuilder(0).setTypedConfig(Any.pack(hcm));
    return IstiodShapes.serverListener(chain.build());
  }

  private static void assertInboundRejected(Listener listener, String field, String reason) {
    assertRejected(() -> XdsInterpreter.inbound(listener, 80), LISTENER, field, reason);
  }
}
