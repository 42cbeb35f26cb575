package dev.weft.controlplane.ca;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.controlplane.auth.AuthenticatingInterceptor;
import dev.weft.controlplane.auth.CallerAuthenticator;
import dev.weft.controlplane.auth.ControlPlaneTls;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The control plane's CA port as the control plane assembles it, on a free loopback port. */
final class RunningCaServer implements AutoCloseable {
  private final Server server;

  RunningCaServer(LocalCertificateAuthority ca, CallerAuthenticator authenticator)
      throws IOException {
    server = NettyServerBuilder
        .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ControlPlaneTls.serverCredentials(ca, List.of()))
        .addService(ServerInterceptors.intercept(
            new CertificateAuthorityService(ca), new AuthenticatingInterceptor(authenticator)))
        .build()
        .start();
  }

  int port() {
    return server.getPort();
  }

  /** The address clients dial, {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
