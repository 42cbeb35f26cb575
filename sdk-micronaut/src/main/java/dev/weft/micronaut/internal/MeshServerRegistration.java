package dev.weft.micronaut.internal;

import dev.weft.mesh.Mesh;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;

/**
 * Registers Weft's gate with the Netty server. Weft owns the server's TLS, so Micronaut's own
 * server SSL and HTTP/2 (whose pipeline Weft cannot front yet) are refused at startup.
 */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class MeshServerRegistration
    implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
  private final BeanProvider<Mesh> mesh;
  private final WeftConfiguration config;
  private final HttpServerConfiguration server;
  private final BeanProvider<ServerSslConfiguration> ssl;

  MeshServerRegistration(BeanProvider<Mesh> mesh, WeftConfiguration config,
      HttpServerConfiguration server, BeanProvider<ServerSslConfiguration> ssl) {
    this.mesh = mesh;
    this.config = config;
    this.server = server;
    this.ssl = ssl;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    if (server.getHttpVersion() == HttpVersion.HTTP_2_0) {
      throw new IllegalStateException("Weft serves Micronaut's HTTP/1.1 server; "
          + "micronaut.server.http-version 2.0 is not supported (mesh mTLS and PERMISSIVE need "
          + "Weft in front of the connection, before Micronaut's ALPN)");
    }
    if (ssl.find(null).map(ServerSslConfiguration::isEnabled).orElse(false)) {
      throw new IllegalStateException("Weft gives the server its mesh mTLS; "
          + "turn micronaut.server.ssl off (or weft.enabled off for this application)");
    }
    int containerPort = ServedPort.of(config, server).orElseThrow(
        () -> new IllegalStateException("set weft.container-port (or a fixed "
            + "micronaut.server.port): the mesh must know which container port this server is"))
        .containerPort();
    event.getBean().register(MeshServerCustomizer.forPort(mesh.get(), containerPort));
    return event.getBean();
  }
}
