package dev.weft.micronaut.internal;

import io.micronaut.http.client.netty.NettyClientCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.BootstrapConfig;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Puts Weft in front of every connection Micronaut's HTTP clients make: the connection's
 * {@link MeshConnection} decides where it goes and with what TLS, so the client's own name
 * resolution is left to it.
 */
final class MeshClientCustomizer implements NettyClientCustomizer {
  private final Supplier<OutboundMesh> outbound;

  MeshClientCustomizer(Supplier<OutboundMesh> outbound) {
    this.outbound = outbound;
  }

  @Override
  public NettyClientCustomizer specializeForBootstrap(Bootstrap bootstrap) {
    BootstrapConfig config = bootstrap.config();
    // An HTTP/3 client binds a datagram channel and names no remote address: left as it is.
    if (config.remoteAddress() instanceof InetSocketAddress target && target.isUnresolved()
        && config.handler() != null) {
      AddressResolverGroup<?> resolvers = config.resolver() != null ? config.resolver()
          : NoopAddressResolverGroup.INSTANCE;
      bootstrap.resolver(NoopAddressResolverGroup.INSTANCE).handler(new MeshClientInitializer(
          new MeshConnection(outbound.get(), target, resolvers), config.handler()));
    }
    return this;
  }
}
