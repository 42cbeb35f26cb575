package dev.weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.config.ConfigLoader;
import dev.weft.policy.MeshResources;
import dev.weft.policy.MtlsMode;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher recomputes and pushes every change, however the changes and pushes interleave. */
class XdsPublisherTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aChangeArrivingWhileAPushRunsIsPublishedRightAfterIt() {
    MeshResources strict = new ConfigLoader().load("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """, "strict.yaml").resources();
    XdsPublisher publisher = new XdsPublisher(MeshResources.EMPTY, scheduler, Duration.ofMillis(1));
    publisher.attach(new WorkloadRegistry(Duration.ZERO, scheduler, publisher::changed));
    AtomicBoolean changedDuringPush = new AtomicBoolean();
    // A workload that acknowledged the first push at once, and an operator quick to apply the
    // next change, meet while the publisher still pushes to the other streams.
    publisher.addStream(() -> {
      if (changedDuringPush.compareAndSet(false, true)) {
        publisher.configChanged(strict);
      }
    });

    publisher.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> publisher.current().generation() == 2
        && !publisher.changePending());
    assertThat(changedDuringPush).isTrue();
    assertThat(publisher.current().policy().namespaceLevel("bar").mode())
        .isEqualTo(MtlsMode.STRICT);
  }
}
