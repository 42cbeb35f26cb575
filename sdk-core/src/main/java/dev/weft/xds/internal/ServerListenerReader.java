package dev.weft.xds.internal;

import dev.weft.mesh.InboundPolicy;
import dev.weft.policy.MtlsMode;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles a server listener into what its port accepts: one plaintext chain (DISABLE), one
 * mesh mTLS chain (STRICT), or a plaintext chain matching {@code raw_buffer} with an mTLS chain
 * matching {@code tls} (PERMISSIVE). Anything else is rejected rather than read as plaintext.
 */
final class ServerListenerReader {
  private static final String RAW_BUFFER = "raw_buffer";
  private static final String TLS = "tls";

  private ServerListenerReader() {}

  /** One filter chain, reduced to what decides the mode. */
  private record Chain(String name, String transportProtocol, boolean tls) {}

  /** What {@code listener} lets container port {@code port} accept. */
  static InboundPolicy read(Listener listener, int port) throws InvalidResourceException {
    FieldPath at = FieldPath.of("Listener", listener.getName());
    Protos.only(listener, at, "name", "address", "additional_addresses", "filter_chains",
        "metadata", "traffic_direction");
    FieldPath chainsAt = at.field("filter_chains");
    List<Chain> chains = new ArrayList<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      chains.add(chain(listener.getFilterChains(i), chainsAt.index(i)));
    }
    MtlsMode mode = mode(chains, chainsAt);
    Optional<String> declared = FilterMetadata.string(
        listener.getMetadata(), XdsNames.WEFT_METADATA, "mode", at);
    if (declared.isPresent() && !declared.get().equals(mode.name())) {
      throw at.field("metadata").field("filter_metadata").field(XdsNames.WEFT_METADATA)
          .field("mode").invalid("is " + declared.get() + ", but the filter chains say " + mode);
    }
    List<String> because = FilterMetadata.because(listener.getMetadata(), at);
    return new InboundPolicy(port, mode, because.isEmpty() ? describe(chains, mode) : because);
  }

  private static Chain chain(FilterChain chain, FieldPath at) throws InvalidResourceException {
    Protos.only(chain, at, "name", "filter_chain_match", "filters", "transport_socket",
        "metadata");
    FieldPath matchAt = at.field("filter_chain_match");
    Protos.only(chain.getFilterChainMatch(), matchAt, "transport_protocol");
    String protocol = chain.getFilterChainMatch().getTransportProtocol();
    if (!protocol.isEmpty() && !protocol.equals(RAW_BUFFER) && !protocol.equals(TLS)) {
      throw matchAt.field("transport_protocol").invalid("is \"" + protocol + "\"; Weft knows "
          + RAW_BUFFER + " and " + TLS);
    }
    ServerFilters.check(chain, at);
    FieldPath socketAt = at.field("transport_socket");
    boolean tls = chain.hasTransportSocket();
    if (tls) {
      ServerTlsReader.check(chain.getTransportSocket(), socketAt);
    }
    if (protocol.equals(TLS) && !tls) {
      throw socketAt.invalid("is missing on a chain that matches TLS connections");
    }
    if (protocol.equals(RAW_BUFFER) && tls) {
      throw socketAt.invalid("is set on a chain that matches only plaintext connections");
    }
    return new Chain(chain.getName(), protocol, tls);
  }

  private static MtlsMode mode(List<Chain> chains, FieldPath at) throws InvalidResourceException {
    if (chains.size() == 1) {
      return chains.get(0).tls() ? MtlsMode.STRICT : MtlsMode.DISABLE;
    }
    if (chains.size() == 2) {
      long plaintext = chains.stream()
          .filter(c -> !c.tls() && c.transportProtocol().equals(RAW_BUFFER)).count();
      long mtls = chains.stream()
          .filter(c -> c.tls() && c.transportProtocol().equals(TLS)).count();
      if (plaintext == 1 && mtls == 1) {
        return MtlsMode.PERMISSIVE;
      }
    }
    List<String> kinds = new ArrayList<>();
    for (Chain chain : chains) {
      kinds.add((chain.tls() ? "mTLS" : "plaintext") + (chain.transportProtocol().isEmpty()
          ? "" : " matching " + chain.transportProtocol()));
    }
    throw at.invalid((chains.isEmpty() ? "is empty" : "has " + String.join(", ", kinds))
        + "; Weft accepts one chain, or a plaintext chain matching " + RAW_BUFFER
        + " and an mTLS chain matching " + TLS + " (PERMISSIVE), and will not guess");
  }

  /** Reasons when the control plane gives none, as istiod, whose chains never say PERMISSIVE. */
  private static List<String> describe(List<Chain> chains, MtlsMode mode) {
    if (mode == MtlsMode.PERMISSIVE) {
      return List.of("control plane: " + name(chains.get(0)) + " and " + name(chains.get(1))
          + " chains (PERMISSIVE)");
    }
    String chain = "control plane: " + name(chains.get(0)) + " chain (" + mode + ")";
    return List.of(chain, mode == MtlsMode.STRICT
        ? "istiod sends PERMISSIVE as mTLS to a proxyless server labelled "
            + "security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE"
        : "istiod sends PERMISSIVE as plaintext to a proxyless server that is not labelled "
            + "security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
  }

  private static String name(Chain chain) {
    return chain.name().isEmpty() ? "unnamed" : chain.name();
  }
}
