package dev.weft.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.internal.KeyPairs;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkloadCertificatesTest {
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

  private final LocalCertificateAuthority ca =
      LocalCertificateAuthority.inMemory(TrustDomain.parse("cluster.local"));
  private WorkloadCertificates certificates;

  @AfterEach
  void close() {
    if (certificates != null) {
      certificates.close();
    }
  }

  @Test
  void startsWithAVerifiedCertificate() throws Exception {
    certificates = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();

    CertificateSnapshot snapshot = certificates.current();
    assertThat(snapshot.generation()).isEqualTo(1);
    assertThat(snapshot.identity()).isEqualTo(WEB);
    assertThat(snapshot.trustBundles()).isEqualTo(ca.trustBundles());
  }

  @Test
  void renewsAtHalfTheLifetimeAndTellsListeners() throws Exception {
    List<Instant> rotatedAt = new CopyOnWriteArrayList<>();
    certificates = WorkloadCertificates.newBuilder(
            ca.sourceFor(WEB, KeyAlgorithm.ECDSA_P256, Duration.ofSeconds(4)))
        .jitterFraction(0)
        .build();
    certificates.addListener(snapshot -> rotatedAt.add(Instant.now()));
    certificates.start();
    CertificateSnapshot first = certificates.current();

    await().atMost(Duration.ofSeconds(5)).until(() -> certificates.current().generation() >= 2);

    Instant halfLife = first.notBefore().plusSeconds(2);
    assertThat(rotatedAt.get(1)).isBetween(halfLife.minusMillis(50), halfLife.plusMillis(1500));
    assertThat(certificates.current().leaf()).isNotEqualTo(first.leaf());
    assertThat(certificates.current().privateKey()).isNotEqualTo(first.privateKey());
  }

  @Test
  void theRenewalMarginIsTheValidityLeftAfterTheLatestRenewalPoint() throws Exception {
    certificates = WorkloadCertificates.newBuilder(
            ca.sourceFor(WEB, KeyAlgorithm.ECDSA_P256, Duration.ofHours(1)))
        .renewAtFraction(0.5).jitterFraction(0.1).build().start();
    CertificateSnapshot current = certificates.current();
    Duration validity = Duration.between(current.notBefore(), current.notAfter());

    assertThat(certificates.renewalMargin().toMillis())
        .isCloseTo((long) (validity.toMillis() * 0.4), within(1L));
  }

  @Test
  void aBackdatedCertificateIsNotRenewedBackToBack() throws Exception {
    // notBefore a minute in the past on a 70s certificate: half the lifetime has "passed".
    LocalCertificateAuthority backdating = LocalCertificateAuthority.newBuilder()
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1)))
        .build();
    certificates = WorkloadCertificates.newBuilder(
        backdating.sourceFor(WEB, KeyAlgorithm.ECDSA_P256, Duration.ofSeconds(70))).build().start();

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
        .until(() -> certificates.current().generation() == 1);
  }

  @Test
  void keepsServingTheCurrentCertificateWhileTheCaIsDownThenRecovers() throws Exception {
    FlakySource source = new FlakySource(
        ca.sourceFor(WEB, KeyAlgorithm.ECDSA_P256, Duration.ofSeconds(3)));
    certificates = WorkloadCertificates.newBuilder(source)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(400))
        .build()
        .start();
    CertificateSnapshot first = certificates.current();
    source.failing.set(true);

    await().atMost(Duration.ofSeconds(5)).until(() -> source.failures.get() >= 3);
    assertThat(certificates.current()).isSameAs(first);

    source.failing.set(false);
    await().atMost(Duration.ofSeconds(3)).until(() -> certificates.current().generation() == 2);
  }

  @Test
  void rejectsACredentialWhoseKeyIsNotTheCertificates() throws Exception {
    FlakySource source = new FlakySource(ca.sourceFor(WEB));
    certificates = WorkloadCertificates.newBuilder(source)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(50)).build().start();
    CertificateSnapshot first = certificates.current();
    source.transform.set(c -> WorkloadCredential.of(
        KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPrivate(), c.chain(), c.trustBundles()));

    certificates.refreshNow();

    await().atMost(Duration.ofSeconds(3)).until(() -> source.fetches.get() >= 3);
    assertThat(certificates.current()).isSameAs(first);
  }

  @Test
  void rejectsACredentialThatDoesNotChainToItsBundle() throws Exception {
    LocalCertificateAuthority stranger =
        LocalCertificateAuthority.inMemory(TrustDomain.parse("cluster.local"));
    FlakySource source = new FlakySource(ca.sourceFor(WEB));
    certificates = WorkloadCertificates.newBuilder(source)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(50)).build().start();
    CertificateSnapshot first = certificates.current();
    source.transform.set(c -> WorkloadCredential.of(
        c.privateKey(), c.chain(), stranger.trustBundles()));

    certificates.refreshNow();

    await().atMost(Duration.ofSeconds(3)).until(() -> source.fetches.get() >= 3);
    assertThat(certificates.current()).isSameAs(first);
  }

  @Test
  void startFailsWithTheSourcesReasonWhenNoCertificateArrives() {
    FlakySource source = new FlakySource(ca.sourceFor(WEB));
    source.failing.set(true);
    certificates = WorkloadCertificates.newBuilder(source)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
        .startupTimeout(Duration.ofMillis(500))
        .build();

    assertThatThrownBy(certificates::start)
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("no certificate from flaky CA within 500ms")
        .hasMessageContaining("CA at flaky is unreachable");
  }

  @Test
  void sourceChangesAreFetchedAtOnce() throws Exception {
    FlakySource source = new FlakySource(ca.sourceFor(WEB));
    certificates = WorkloadCertificates.newBuilder(source).build().start();

    source.changed();

    await().atMost(Duration.ofSeconds(3)).until(() -> certificates.current().generation() == 2);
  }

  @Test
  void anUnchangedCertificateIsNotARotation() throws Exception {
    AtomicReference<WorkloadCredential> fixed = new AtomicReference<>();
    FlakySource source = new FlakySource(ca.sourceFor(WEB));
    source.transform.set(c -> {
      fixed.compareAndSet(null, c);
      return fixed.get();
    });
    List<CertificateSnapshot> rotations = new CopyOnWriteArrayList<>();
    certificates = WorkloadCertificates.newBuilder(source)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(20)).build();
    certificates.addListener(rotations::add);
    certificates.start();

    source.changed();
    await().atMost(Duration.ofSeconds(3)).until(() -> source.fetches.get() >= 3);

    assertThat(certificates.current().generation()).isEqualTo(1);
    assertThat(rotations).hasSize(1);
  }

  @Test
  void startingTwiceIsAnError() throws Exception {
    certificates = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();

    assertThatThrownBy(certificates::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
  }

  @Test
  void usingItClosedIsAnError() throws Exception {
    certificates = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();
    certificates.close();

    assertThatThrownBy(certificates::refreshNow).hasMessageContaining("is closed");
    assertThatThrownBy(certificates::start).hasMessageContaining("is closed");
  }

  @Test
  void currentBeforeStartIsAnError() {
    certificates = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build();

    assertThatThrownBy(certificates::current).hasMessageContaining("not started");
  }

  /** A CA source that can be made to fail or to hand out altered credentials. */
  private static final class FlakySource implements CertificateSource {
    final CertificateSource delegate;
    final AtomicReference<Boolean> failing = new AtomicReference<>(false);
    final AtomicReference<UnaryOperator<WorkloadCredential>> transform =
        new AtomicReference<>(UnaryOperator.identity());
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    FlakySource(CertificateSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public WorkloadCredential fetch() throws CertificateSourceException {
      fetches.incrementAndGet();
      if (failing.get()) {
        failures.incrementAndGet();
        throw new CertificateSourceException("CA at flaky is unreachable");
      }
      return transform.get().apply(delegate.fetch());
    }

    @Override
    public void watch(Runnable onChange) {
      watchers.add(onChange);
    }

    void changed() {
      watchers.forEach(Runnable::run);
    }

    @Override
    public String description() {
      return "flaky CA";
    }
  }
}
