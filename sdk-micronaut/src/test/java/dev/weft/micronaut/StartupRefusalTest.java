package dev.weft.micronaut;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.policy.MtlsMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Weft cannot serve is refused when the application starts, saying what to change. */
class StartupRefusalTest {
  private final MeshFolder folder = MeshFolder.create(MtlsMode.STRICT);

  @Test
  void http2IsRefused() {
    assertThatThrownBy(() -> start(Map.of("micronaut.server.http-version", "2.0")))
        .hasStackTraceContaining("micronaut.server.http-version 2.0 is not supported");
  }

  @Test
  void micronautsOwnServerSslIsRefused() {
    assertThatThrownBy(() -> start(Map.of("micronaut.server.ssl.enabled", "true",
        "micronaut.server.ssl.build-self-signed", "true")))
        .hasStackTraceContaining("turn micronaut.server.ssl off");
  }

  @Test
  void aServerWithoutAContainerPortIsRefused() {
    Map<String, Object> properties = new HashMap<>(folder.httpbinProperties());
    properties.remove("weft.container-port");
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
        .hasStackTraceContaining("set weft.container-port");
  }

  @Test
  void aMissingPolicySourceIsRefused() {
    Map<String, Object> properties = new HashMap<>(folder.httpbinProperties());
    properties.remove("weft.config-dir");
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
        .hasStackTraceContaining("say where policy comes from");
  }

  private void start(Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>(folder.httpbinProperties());
    properties.putAll(extra);
    ApplicationContext.run(EmbeddedServer.class, properties).close();
  }
}
