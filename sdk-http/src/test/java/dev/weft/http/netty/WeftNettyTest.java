package dev.weft.http.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.identity.PeerIdentity;
import dev.weft.mesh.Mesh;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeftNettyTest {
  @TempDir Path folder;

  @Test
  void anApplicationHandlerThatCannotBeSharedIsRejected() {
    Mesh mesh = Mesh.builder().localConfig(folder).build();

    assertThatThrownBy(() -> WeftNetty.serverInitializer(mesh, 80,
        new ChannelInboundHandlerAdapter()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Sharable");
  }

  @Test
  void aPortOutOfRangeIsRejected() {
    Mesh mesh = Mesh.builder().localConfig(folder).build();

    assertThatThrownBy(() -> WeftNetty.serverInitializer(mesh, 0, new TestApp()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
  }

  @Test
  void aChannelWeftDidNotSetUpHasNoPeerIdentity() {
    assertThat(WeftNetty.peerIdentity(new EmbeddedChannel())).isEqualTo(PeerIdentity.none());
  }
}
