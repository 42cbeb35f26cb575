package dev.weft.micronaut;

import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Optional;

/** Says what the server saw of the caller, in every way an application can ask. */
@Controller("/")
class PeerController {
  @Get(value = "/whoami", produces = MediaType.TEXT_PLAIN)
  String whoami(@MeshPeer Optional<SpiffeId> caller, HttpRequest<?> request) {
    return "peer: " + caller.map(SpiffeId::toString).orElse("none") + "\n"
        + "secure: " + request.isSecure() + "\n"
        + "xfcc: " + request.getHeaders().get("x-forwarded-client-cert", String.class)
            .orElse("none") + "\n";
  }

  @Get(value = "/required", produces = MediaType.TEXT_PLAIN)
  String required(@MeshPeer SpiffeId caller) {
    return caller.toString();
  }

  @Get(value = "/nullable", produces = MediaType.TEXT_PLAIN)
  String nullable(@MeshPeer @Nullable PeerIdentity caller) {
    return caller == null ? "null" : caller.spiffeId().orElseThrow() + " chain "
        + caller.certificateChain().size();
  }
}
