package dev.weft.cert;

import dev.weft.cert.internal.Durations;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload's current certificate, kept fresh. It renews at a fraction of the certificate's
 * validity (half, with a little jitter, as istio-agent does), retries with exponential backoff
 * while the source fails, and keeps serving the current certificate until it expires. Each
 * credential is verified before use; one that fails is rejected and the current one stays.
 * Snapshots are swapped atomically and listeners hear of every rotation.
 */
public final class WorkloadCertificates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkloadCertificates.class);

  private enum State { NEW, STARTED, CLOSED }

  private final CertificateSource source;
  private final double renewAtFraction;
  private final double jitterFraction;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration startupTimeout;
  private final ScheduledExecutorService scheduler;
  private final List<Consumer<CertificateSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<CertificateSnapshot> first = new CompletableFuture<>();

  private volatile CertificateSnapshot current;
  private volatile State state = State.NEW;
  private volatile String lastFailure = "no attempt yet";
  // Touched only on the scheduler thread.
  private ScheduledFuture<?> pending;
  private Duration backoff;

  private WorkloadCertificates(Builder builder) {
    this.source = builder.source;
    this.renewAtFraction = builder.renewAtFraction;
    this.jitterFraction = builder.jitterFraction;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.startupTimeout = builder.startupTimeout;
    this.backoff = initialBackoff;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "weft-certificates");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A builder for certificates from {@code source}. */
  public static Builder newBuilder(CertificateSource source) {
    return new Builder(source);
  }

  /**
   * Fetches the first certificate, retrying until the startup timeout, then keeps it fresh.
   * Throws with the last failure's reason if no certificate arrives in time.
   */
  public WorkloadCertificates start() throws CertificateSourceException {
    synchronized (this) {
      if (state == State.STARTED) {
        throw new IllegalStateException("WorkloadCertificates for " + source.description()
            + " is already started");
      }
      checkNotClosed();
      state = State.STARTED;
    }
    source.watch(this::sourceChanged);
    scheduler.execute(this::refresh);
    try {
      first.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (TimeoutException e) {
      close();
      throw new CertificateSourceException("no certificate from " + source.description()
          + " within " + Durations.format(startupTimeout) + ": " + lastFailure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CertificateSourceException("interrupted waiting for the first certificate", e);
    } catch (ExecutionException e) {
      close();
      throw new CertificateSourceException("no certificate: " + e.getCause(), e.getCause());
    }
  }

  /** The current snapshot; never null once {@link #start()} returned. */
  public CertificateSnapshot current() {
    CertificateSnapshot snapshot = current;
    if (snapshot == null) {
      checkNotClosed();
      throw new IllegalStateException("WorkloadCertificates is not started");
    }
    return snapshot;
  }

  /**
   * How long before it expires the current certificate is renewed at the latest, if the
   * source answers: what is left of its validity after the renewal point and its jitter.
   */
  public Duration renewalMargin() {
    CertificateSnapshot snapshot = current();
    long validity = Duration.between(snapshot.notBefore(), snapshot.notAfter()).toMillis();
    return Duration.ofMillis((long) (validity * Math.max(0,
        1 - renewAtFraction - jitterFraction)));
  }

  /** Calls {@code listener} after every rotation, on the rotation thread. */
  public void addListener(Consumer<CertificateSnapshot> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Consumer<CertificateSnapshot> listener) {
    listeners.remove(listener);
  }

  /** Fetches a new certificate now, as after a CA or trust change; returns at once. */
  public void refreshNow() {
    checkNotClosed();
    scheduler.execute(this::refreshResettingBackoff);
  }

  /** Stops renewing and closes the source. The last snapshot stays readable. */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    scheduler.shutdownNow();
    source.close();
    first.completeExceptionally(new IllegalStateException("closed"));
  }

  private void checkNotClosed() {
    if (state == State.CLOSED) {
      throw new IllegalStateException("WorkloadCertificates for " + source.description()
          + " is closed");
    }
  }

  private void sourceChanged() {
    if (state == State.STARTED) {
      scheduler.execute(this::refreshResettingBackoff);
    }
  }

  private void refreshResettingBackoff() {
    backoff = initialBackoff;
    refresh();
  }

  private void refresh() {
    if (state != State.STARTED) {
      return;
    }
    CertificateSnapshot previous = current;
    try {
      WorkloadCredential credential = source.fetch();
      if (previous != null && previous.leaf().equals(credential.leaf())) {
        retryLater("the certificate is unchanged");
        return;
      }
      SpiffeId identity = verify(credential);
      CertificateSnapshot next = new CertificateSnapshot(
          previous == null ? 1 : previous.generation() + 1, identity, credential);
      current = next;
      backoff = initialBackoff;
      lastFailure = "none";
      Instant now = Instant.now();
      Instant renewAt = renewalTime(next, now);
      schedule(Duration.between(now, renewAt));
      log.info("certificate for {} from {}: generation {}, valid until {}, renewing at {}",
          identity, source.description(), next.generation(), next.notAfter(), renewAt);
      first.complete(next);
      notifyListeners(next);
    } catch (CertificateSourceException | RuntimeException e) {
      retryLater(e.getMessage());
    }
  }

  private SpiffeId verify(WorkloadCredential credential) throws CertificateSourceException {
    String from = " from " + source.description();
    try {
      SpiffeId identity = X509Svids.leafIdentity(credential.leaf());
      if (!KeyPairs.matches(credential.privateKey(), credential.leaf().getPublicKey())) {
        throw new CertificateSourceException("the private key" + from
            + " does not match its certificate for " + identity);
      }
      Date now = new Date();
      X509Svids.verify(credential.chain(), credential.trustBundles(), X509Svids.Purpose.SERVER, now);
      X509Svids.verify(credential.chain(), credential.trustBundles(), X509Svids.Purpose.CLIENT, now);
      return identity;
    } catch (CertificateException e) {
      throw new CertificateSourceException("rejected the certificate" + from + ": "
          + e.getMessage(), e);
    }
  }

  private void retryLater(String reason) {
    lastFailure = reason;
    CertificateSnapshot snapshot = current;
    Duration delay = jittered(backoff);
    backoff = min(backoff.multipliedBy(2), maxBackoff);
    if (snapshot == null) {
      log.warn("no certificate yet from {}: {}; retrying in {} ms", source.description(),
          reason, delay.toMillis());
    } else if (snapshot.notAfter().isBefore(Instant.now())) {
      log.error("certificate for {} EXPIRED at {} and cannot be renewed from {}: {}; retrying in"
          + " {} ms", snapshot.identity(), snapshot.notAfter(), source.description(), reason,
          delay.toMillis());
    } else {
      log.warn("cannot renew the certificate for {} from {}: {}; keeping generation {} (valid"
          + " until {}), retrying in {} ms", snapshot.identity(), source.description(), reason,
          snapshot.generation(), snapshot.notAfter(), delay.toMillis());
    }
    schedule(delay);
  }

  /**
   * Renews after the configured fraction of the validity left when the certificate arrived. For
   * a fresh certificate that is Istio's rule (half its lifetime); measuring from arrival rather
   * than from notBefore keeps a backdated notBefore, or a file read late in its life, from
   * scheduling renewals in the past, back to back.
   */
  private Instant renewalTime(CertificateSnapshot snapshot, Instant arrived) {
    Instant from = snapshot.notBefore().isAfter(arrived) ? snapshot.notBefore() : arrived;
    long remainingMillis = Math.max(0, Duration.between(from, snapshot.notAfter()).toMillis());
    double jitter = jitterFraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    double fraction = Math.max(0, Math.min(1, renewAtFraction + jitter));
    return from.plusMillis((long) (remainingMillis * fraction));
  }

  private void schedule(Duration delay) {
    if (pending != null) {
      pending.cancel(false);
    }
    if (state == State.STARTED) {
      pending = scheduler.schedule(this::refresh, Math.max(0, delay.toMillis()),
          TimeUnit.MILLISECONDS);
    }
  }

  private void notifyListeners(CertificateSnapshot snapshot) {
    for (Consumer<CertificateSnapshot> listener : listeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        log.warn("a certificate rotation listener failed", e);
      }
    }
  }

  private static Duration jittered(Duration d) {
    double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (d.toMillis() * factor));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Configures {@link WorkloadCertificates}. */
  public static final class Builder {
    private final CertificateSource source;
    private double renewAtFraction = 0.5;
    private double jitterFraction = 0.01;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration startupTimeout = Duration.ofSeconds(30);

    private Builder(CertificateSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** The fraction of a certificate's lifetime after which it is renewed; default 0.5. */
    public Builder renewAtFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("renewAtFraction must be in (0, 1), was " + fraction);
      }
      this.renewAtFraction = fraction;
      return this;
    }

    /** The random spread around the renewal fraction, as a fraction of the lifetime; default 0.01. */
    public Builder jitterFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 0.5)) {
        throw new IllegalArgumentException("jitterFraction must be in [0, 0.5), was " + fraction);
      }
      this.jitterFraction = fraction;
      return this;
    }

    /** The first retry delay after a failure, doubling up to {@code max}; default 1s to 60s. */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 < initial <= max, was " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** How long {@link #start()} waits for the first certificate; default 30s. */
    public Builder startupTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /** Builds; call {@link WorkloadCertificates#start()} to fetch the first certificate. */
    public WorkloadCertificates build() {
      return new WorkloadCertificates(this);
    }
  }
}
