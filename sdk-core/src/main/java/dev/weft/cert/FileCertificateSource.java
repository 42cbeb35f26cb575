package dev.weft.cert;

import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.internal.X509Svids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload credential that another agent keeps in files, in the layout istio-agent writes:
 * {@code cert-chain.pem} (leaf first, optionally ending with the root), {@code key.pem}
 * (PKCS#8, PKCS#1 or SEC1, unencrypted) and {@code root-cert.pem} (one or more roots of the
 * leaf's trust domain). {@link #watch} polls the files and reports when their content changes.
 */
public final class FileCertificateSource implements CertificateSource {
  /** The certificate chain file name istio-agent writes. */
  public static final String CERTIFICATE_CHAIN_FILE = "cert-chain.pem";
  /** The private key file name istio-agent writes. */
  public static final String PRIVATE_KEY_FILE = "key.pem";
  /** The root certificates file name istio-agent writes. */
  public static final String ROOT_CERTIFICATES_FILE = "root-cert.pem";

  /**
   * Where Istio's proxy reads certificates mounted from an external CA ({@code FileMountedCerts}).
   * Istio spells it {@code ./etc/certs}, relative to the agent's working directory, which is
   * {@code /} in the proxy image.
   */
  public static final Path ISTIO_CERTS_DIRECTORY = Path.of("/etc/certs");

  /**
   * Where Istio looks for workload certificate files provided by a third party
   * ({@code WorkloadIdentityCredentialsPath}); spelled relative to the agent's working
   * directory, which is {@code /} in the proxy image.
   */
  public static final Path WORKLOAD_SPIFFE_CREDENTIALS_DIRECTORY =
      Path.of("/var/run/secrets/workload-spiffe-credentials");

  /**
   * How often {@link #watch} reads the files unless configured. Reading three small files and
   * hashing them is cheap, and 5 seconds is short next to the minutes it takes the kubelet to
   * propagate a rewritten secret and the hours between certificate rotations.
   */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  static final String POLLER_THREAD_NAME = "weft-cert-files";

  private static final Logger log = LoggerFactory.getLogger(FileCertificateSource.class);

  private final Path certificateChainFile;
  private final Path privateKeyFile;
  private final Path rootCertificatesFile;
  private final Duration pollInterval;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService poller;
  private boolean closed;

  private FileCertificateSource(Builder builder) {
    this.certificateChainFile = builder.certificateChainFile;
    this.privateKeyFile = builder.privateKeyFile;
    this.rootCertificatesFile = builder.rootCertificatesFile;
    this.pollInterval = builder.pollInterval;
  }

  /** A source reading {@code cert-chain.pem}, {@code key.pem} and {@code root-cert.pem} in {@code directory}. */
  public static FileCertificateSource inDirectory(Path directory) {
    return newBuilder().directory(directory).build();
  }

  /** A builder for explicit file paths or another poll interval. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Reads and checks the three files: the key must belong to the leaf, the leaf must be an
   * X.509-SVID, and the chain must verify against the roots now. The roots become the trust
   * bundle of the leaf's trust domain.
   */
  @Override
  public WorkloadCredential fetch() throws CertificateSourceException {
    List<X509Certificate> chain =
        Pem.readCertificates(read(certificateChainFile), certificateChainFile.toString());
    PrivateKey key = Pem.readPrivateKey(read(privateKeyFile), privateKeyFile.toString());
    List<X509Certificate> roots =
        Pem.readCertificates(read(rootCertificatesFile), rootCertificatesFile.toString());
    X509Certificate leaf = chain.get(0);
    if (!KeyPairs.matches(key, leaf.getPublicKey())) {
      throw new CertificateSourceException(privateKeyFile
          + " is not the private key of the leaf certificate in " + certificateChainFile);
    }
    SpiffeId identity;
    try {
      identity = X509Svids.leafIdentity(leaf);
    } catch (CertificateException e) {
      throw new CertificateSourceException(certificateChainFile
          + ": the leaf certificate is not a valid X.509-SVID: " + e.getMessage(), e);
    }
    TrustBundles bundles = TrustBundles.of(identity.trustDomain(), roots);
    try {
      X509Svids.verify(chain, bundles, X509Svids.Purpose.CLIENT, new Date());
    } catch (CertificateException e) {
      throw new CertificateSourceException(certificateChainFile + " does not verify against "
          + rootCertificatesFile + ": " + e.getMessage() + unknownRootHint(chain, roots), e);
    }
    return WorkloadCredential.of(key, chain, bundles);
  }

  /**
   * When the chain ends with a root that root-cert.pem lacks, path validation blames a signature
   * "of intermediate n"; the real cause is a root-cert.pem from another CA, so say that.
   */
  private String unknownRootHint(List<X509Certificate> chain, List<X509Certificate> roots) {
    X509Certificate last = chain.get(chain.size() - 1);
    boolean selfIssued = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
    if (chain.size() > 1 && selfIssued && !roots.contains(last)) {
      return " (the chain ends with the root \"" + last.getSubjectX500Principal().getName()
          + "\", which " + rootCertificatesFile.getFileName() + " does not hold)";
    }
    return "";
  }

  /**
   * Calls {@code onChange} each time the content of any of the files changes, comparing with
   * their content when the first listener was added: register before the first {@link #fetch}
   * to miss no change. Polls on one daemon thread every poll interval until {@link #close}.
   */
  @Override
  public synchronized void watch(Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    if (closed) {
      throw new IllegalStateException(description() + " is closed");
    }
    listeners.add(onChange);
    if (poller == null) {
      FileChangePoller changes = new FileChangePoller(
          List.of(certificateChainFile, privateKeyFile, rootCertificatesFile), pollInterval,
          this::notifyListeners);
      poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, POLLER_THREAD_NAME);
        thread.setDaemon(true);
        return thread;
      });
      long millis = pollInterval.toMillis();
      poller.scheduleWithFixedDelay(changes::poll, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("a listener of {} failed", description(), e);
      }
    }
  }

  /** Names the three files, for example "files cert-chain.pem, key.pem, root-cert.pem in /etc/certs". */
  @Override
  public String description() {
    Path dir = certificateChainFile.getParent();
    if (dir != null && dir.equals(privateKeyFile.getParent())
        && dir.equals(rootCertificatesFile.getParent())) {
      return "files " + certificateChainFile.getFileName() + ", " + privateKeyFile.getFileName()
          + ", " + rootCertificatesFile.getFileName() + " in " + dir;
    }
    return "files " + certificateChainFile + ", " + privateKeyFile + ", " + rootCertificatesFile;
  }

  /** Stops polling; listeners are not called again. */
  @Override
  public synchronized void close() {
    closed = true;
    listeners.clear();
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  private static String read(Path file) throws CertificateSourceException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CertificateSourceException(file + " is missing", e);
    } catch (IOException e) {
      throw new CertificateSourceException("cannot read " + file + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "FileCertificateSource{" + description() + "}";
  }

  /** Configures a {@link FileCertificateSource}. */
  public static final class Builder {
    private Path certificateChainFile;
    private Path privateKeyFile;
    private Path rootCertificatesFile;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder() {}

    /** Reads the three files by their Istio names in {@code directory}. */
    public Builder directory(Path directory) {
      Objects.requireNonNull(directory, "directory");
      return certificateChainFile(directory.resolve(CERTIFICATE_CHAIN_FILE))
          .privateKeyFile(directory.resolve(PRIVATE_KEY_FILE))
          .rootCertificatesFile(directory.resolve(ROOT_CERTIFICATES_FILE));
    }

    /** The PEM certificate chain, leaf first; it may end with the root. */
    public Builder certificateChainFile(Path file) {
      this.certificateChainFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The PEM private key of the leaf: PKCS#8, PKCS#1 or SEC1, not encrypted. */
    public Builder privateKeyFile(Path file) {
      this.privateKeyFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The PEM root certificates the chain verifies against. */
    public Builder rootCertificatesFile(Path file) {
      this.rootCertificatesFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** How often {@link FileCertificateSource#watch} reads the files; default 5 seconds. */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.toMillis() <= 0) {
        throw new IllegalArgumentException(
            "pollInterval must be at least a millisecond, was " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** Returns the source; it reads nothing until fetched or watched. */
    public FileCertificateSource build() {
      if (certificateChainFile == null || privateKeyFile == null || rootCertificatesFile == null) {
        throw new IllegalStateException("set a directory, or all of certificateChainFile, "
            + "privateKeyFile and rootCertificatesFile");
      }
      return new FileCertificateSource(this);
    }
  }
}
