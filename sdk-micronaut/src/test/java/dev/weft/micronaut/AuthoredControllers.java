package dev.weft.micronaut;

import dev.weft.annotation.ClientTls;
import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.PortMtls;
import dev.weft.annotation.RequireMutualTls;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.TlsMode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.annotation.Client;

/** Controllers that author policy, each enabled in its own test application ({@code test.app}). */
final class AuthoredControllers {
  private AuthoredControllers() {}

  /** Will not be served below STRICT, whatever the control plane says. */
  @Controller("/floor")
  @RequireMutualTls
  @Requires(property = "test.app", value = "floor")
  static class Floor {
    @Get(produces = MediaType.TEXT_PLAIN)
    String get() {
      return "floor";
    }
  }

  /** PERMISSIVE, except container port 80, which is STRICT. */
  @Controller("/port-level")
  @PeerAuthentication(mode = MtlsMode.PERMISSIVE,
      portLevelMtls = @PortMtls(port = MeshFolder.PORT, mode = MtlsMode.STRICT))
  @Requires(property = "test.app", value = "port-level")
  static class PortLevel {
    @Get(produces = MediaType.TEXT_PLAIN)
    String get() {
      return "port-level";
    }
  }

  /** A declarative client whose rule sends plaintext to httpbin, whatever auto mTLS says. */
  @Client("http://httpbin.bar:8000")
  @DestinationRule(host = "httpbin.bar.svc.cluster.local",
      tls = @ClientTls(mode = TlsMode.DISABLE))
  @Requires(property = "test.app", value = "client-rule")
  interface RuledClient {
    @Get(value = "/whoami", produces = MediaType.TEXT_PLAIN)
    String whoami();
  }

  /** PERMISSIVE for the whole workload. */
  @Controller("/permissive")
  @PeerAuthentication(mode = MtlsMode.PERMISSIVE)
  @Requires(property = "test.app", value = "permissive")
  static class Permissive {
    @Get(produces = MediaType.TEXT_PLAIN)
    String get() {
      return "permissive";
    }
  }
}
