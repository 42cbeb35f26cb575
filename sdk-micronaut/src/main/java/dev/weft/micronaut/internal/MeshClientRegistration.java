package dev.weft.micronaut.internal;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.util.SupplierUtil;
import io.micronaut.http.client.netty.NettyClientCustomizer;
import jakarta.inject.Singleton;

/** Registers Weft with the application's Netty HTTP clients, declarative ones included. */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class MeshClientRegistration
    implements BeanCreatedEventListener<NettyClientCustomizer.Registry> {
  private final BeanProvider<OutboundMesh> outbound;

  MeshClientRegistration(BeanProvider<OutboundMesh> outbound) {
    this.outbound = outbound;
  }

  @Override
  public NettyClientCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyClientCustomizer.Registry> event) {
    event.getBean().register(new MeshClientCustomizer(SupplierUtil.memoized(outbound::get)));
    return event.getBean();
  }
}
