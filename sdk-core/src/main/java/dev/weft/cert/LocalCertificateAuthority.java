package dev.weft.cert;

import dev.weft.cert.internal.CaCertificates;
import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.Durations;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.TrustDomain;
import dev.weft.identity.internal.X509Svids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority that runs in the process: the embedded default for workloads with no
 * control plane, and the CA of the Weft control plane. It signs certificate requests like istiod
 * does: the identity comes from the caller, only the request's public key is used, a request with
 * no TTL gets the default, and a TTL above the maximum is rejected.
 *
 * <p>Its root lives in memory, or in a directory in the layout of Istio's plug-in CA secret
 * {@code cacerts} ({@code ca-cert.pem}, {@code ca-key.pem} mode 0600, {@code root-cert.pem},
 * {@code cert-chain.pem}), so the same root can be given to istiod.
 */
public final class LocalCertificateAuthority {
  /** The workload certificate lifetime when a request asks for none: 24 hours, as istiod. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  /** The longest lifetime a request may ask for unless configured: 90 days, as istiod. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
  /** The lifetime of a root this CA creates. */
  public static final Duration ROOT_TTL = Duration.ofDays(3650);

  /** The signing certificate's file name in a CA directory. */
  public static final String CA_CERT = "ca-cert.pem";
  /** The signing key's file name in a CA directory; mode 0600. */
  public static final String CA_KEY = "ca-key.pem";
  /** The root certificates' file name in a CA directory. */
  public static final String ROOT_CERT = "root-cert.pem";
  /** The file name of the chain from the signing certificate to the root in a CA directory. */
  public static final String CERT_CHAIN = "cert-chain.pem";

  private static final Logger log = LoggerFactory.getLogger(LocalCertificateAuthority.class);

  private final TrustDomain trustDomain;
  private final X509Certificate signingCertificate;
  private final PrivateKey signingKey;
  /** Signing certificate first, then intermediates; no root. */
  private final List<X509Certificate> signingChain;
  private final List<X509Certificate> roots;
  /** The root that issued the top of {@link #signingChain}; it ends every issued chain. */
  private final X509Certificate issuingRoot;
  private final Duration defaultTtl;
  private final Duration maxTtl;
  private final Clock clock;
  private final String description;

  private LocalCertificateAuthority(Builder builder, Material material, String description) {
    this.trustDomain = material.trustDomain;
    this.signingCertificate = material.signingChain.get(0);
    this.signingKey = material.signingKey;
    this.signingChain = material.signingChain;
    this.roots = material.roots;
    this.issuingRoot = issuingRoot(material.signingChain, material.roots);
    this.defaultTtl = builder.defaultTtl;
    this.maxTtl = builder.maxTtl;
    this.clock = builder.clock;
    this.description = description;
  }

  /** A builder; with no directory the root is created in memory. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A CA with a fresh in-memory root for {@code trustDomain} and the default TTLs. */
  public static LocalCertificateAuthority inMemory(TrustDomain trustDomain) {
    try {
      return newBuilder().trustDomain(trustDomain).build();
    } catch (CertificateSourceException e) {
      throw new IllegalStateException("an in-memory CA cannot fail to load", e);
    }
  }

  /**
   * Signs {@code csrPem} for {@code identity}. Returns the chain the CA API returns: the new leaf
   * first, then any intermediates, the root last. A {@code requestedTtl} of zero or less gets
   * the default TTL.
   */
  public List<X509Certificate> sign(String csrPem, SpiffeId identity, Duration requestedTtl)
      throws CertificateSourceException {
    Objects.requireNonNull(csrPem, "csrPem");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(requestedTtl, "requestedTtl");
    if (identity.path().isEmpty()) {
      throw new CertificateSourceException(
          "cannot issue a workload certificate for " + identity + ": it has no path");
    }
    if (!identity.trustDomain().equals(trustDomain)) {
      throw new CertificateSourceException("cannot issue a certificate for " + identity
          + ": this CA issues identities in trust domain " + trustDomain);
    }
    Duration ttl = requestedTtl.isNegative() || requestedTtl.isZero() ? defaultTtl : requestedTtl;
    if (ttl.compareTo(maxTtl) > 0) {
      throw new CertificateSourceException(
          "requested TTL " + Durations.format(ttl) + " is greater than the max allowed TTL "
              + Durations.format(maxTtl));
    }
    PublicKey publicKey = CertificateRequests.verifiedPublicKey(
        Pem.readCertificateRequest(csrPem, "certificate request for " + identity),
        "certificate request for " + identity);
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = min(notBefore.plus(ttl), signingCertificate.getNotAfter().toInstant());
    X509Certificate leaf = CaCertificates.workload(
        publicKey, identity, signingCertificate, signingKey, notBefore, notAfter);
    log.debug("issued {} valid until {}", identity, notAfter);
    return withChain(leaf);
  }

  /**
   * Issues a TLS server certificate for {@code publicKey} named by {@code hostNames} (DNS names
   * or IP literals), for a control plane's own listener. Returns leaf first, root last.
   */
  public List<X509Certificate> signServer(PublicKey publicKey, List<String> hostNames, Duration ttl) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (Objects.requireNonNull(hostNames, "hostNames").isEmpty()) {
      throw new IllegalArgumentException("hostNames is empty; a server certificate needs a name");
    }
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notBefore.plus(Objects.requireNonNull(ttl, "ttl"));
    return withChain(CaCertificates.server(
        publicKey, List.copyOf(hostNames), signingCertificate, signingKey, notBefore,
        min(notAfter, signingCertificate.getNotAfter().toInstant())));
  }

  private List<X509Certificate> withChain(X509Certificate leaf) {
    List<X509Certificate> chain = new ArrayList<>(signingChain.size() + 2);
    chain.add(leaf);
    for (X509Certificate certificate : signingChain) {
      if (!certificate.equals(issuingRoot)) {
        chain.add(certificate);
      }
    }
    chain.add(issuingRoot);
    return List.copyOf(chain);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static X509Certificate issuingRoot(
      List<X509Certificate> signingChain, List<X509Certificate> roots) {
    X509Certificate top = signingChain.get(signingChain.size() - 1);
    for (X509Certificate root : roots) {
      if (root.equals(top)
          || root.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
        return root;
      }
    }
    return roots.get(0);
  }

  /** A certificate source that has this CA sign a fresh ECDSA P-256 key for {@code identity}. */
  public CertificateSource sourceFor(SpiffeId identity) {
    return sourceFor(identity, KeyAlgorithm.ECDSA_P256, defaultTtl);
  }

  /** A certificate source that has this CA sign a fresh key of {@code algorithm}. */
  public CertificateSource sourceFor(SpiffeId identity, KeyAlgorithm algorithm, Duration ttl) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(ttl, "ttl");
    return new CertificateSource() {
      @Override
      public WorkloadCredential fetch() throws CertificateSourceException {
        KeyPair keyPair = KeyPairs.generate(algorithm);
        String csr = Pem.write(CertificateRequests.create(keyPair, identity));
        return WorkloadCredential.of(keyPair.getPrivate(), sign(csr, identity, ttl), trustBundles());
      }

      @Override
      public String description() {
        return LocalCertificateAuthority.this.description;
      }
    };
  }

  /** The trust domain this CA issues identities in. */
  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** The root certificates this CA's chains are verified against. */
  public List<X509Certificate> rootCertificates() {
    return roots;
  }

  /** This CA's roots as the bundle of its trust domain. */
  public TrustBundles trustBundles() {
    return TrustBundles.of(trustDomain, roots);
  }

  /** Where the CA's keys live, for logs: a directory or "in memory". */
  public String description() {
    return description;
  }

  private record Material(TrustDomain trustDomain, PrivateKey signingKey,
      List<X509Certificate> signingChain, List<X509Certificate> roots) {}

  /** Configures a {@link LocalCertificateAuthority}. */
  public static final class Builder {
    private TrustDomain trustDomain = TrustDomain.parse("cluster.local");
    private boolean trustDomainSet;
    private Path directory;
    private KeyAlgorithm rootKeyAlgorithm = KeyAlgorithm.ECDSA_P256;
    private Duration defaultTtl = DEFAULT_TTL;
    private Duration maxTtl = DEFAULT_MAX_TTL;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The trust domain of issued identities; default {@code cluster.local}, or for a CA loaded
     * from a directory, the trust domain its certificate names as a SPIFFE ID.
     */
    public Builder trustDomain(TrustDomain trustDomain) {
      this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
      this.trustDomainSet = true;
      return this;
    }

    /** Keeps the CA in {@code directory}: loaded if it holds one, created there otherwise. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The key algorithm of a root created now; default ECDSA P-256. */
    public Builder rootKeyAlgorithm(KeyAlgorithm rootKeyAlgorithm) {
      this.rootKeyAlgorithm = Objects.requireNonNull(rootKeyAlgorithm, "rootKeyAlgorithm");
      return this;
    }

    /** The TTL of a certificate whose request names none; default 24 hours. */
    public Builder defaultTtl(Duration defaultTtl) {
      this.defaultTtl = positive(defaultTtl, "defaultTtl");
      return this;
    }

    /** The longest TTL a request may ask for; longer requests are rejected. Default 90 days. */
    public Builder maxTtl(Duration maxTtl) {
      this.maxTtl = positive(maxTtl, "maxTtl");
      return this;
    }

    /** The clock that dates certificates; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Loads or creates the root and returns the CA. */
    public LocalCertificateAuthority build() throws CertificateSourceException {
      if (defaultTtl.compareTo(maxTtl) > 0) {
        throw new IllegalArgumentException(
            "defaultTtl " + defaultTtl + " is greater than maxTtl " + maxTtl);
      }
      if (directory == null) {
        return new LocalCertificateAuthority(this, createRoot(), "local CA (in memory)");
      }
      Material material = holdsCa(directory) ? load(directory) : createIn(directory);
      return new LocalCertificateAuthority(this, material, "local CA in " + directory);
    }

    private Material createRoot() {
      KeyPair keyPair = KeyPairs.generate(rootKeyAlgorithm);
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      X509Certificate root = CaCertificates.root(keyPair, trustDomain, now, now.plus(ROOT_TTL));
      return new Material(trustDomain, keyPair.getPrivate(), List.of(root), List.of(root));
    }

    private Material createIn(Path dir) throws CertificateSourceException {
      Material material = createRoot();
      String rootPem = Pem.write(material.roots.get(0));
      try {
        SecureFiles.createPrivateDirectory(dir);
        SecureFiles.writeSecret(dir.resolve(CA_KEY), Pem.write(material.signingKey));
        SecureFiles.writePublic(dir.resolve(CA_CERT), rootPem);
        SecureFiles.writePublic(dir.resolve(CERT_CHAIN), rootPem);
        SecureFiles.writePublic(dir.resolve(ROOT_CERT), rootPem);
      } catch (IOException e) {
        throw new CertificateSourceException("cannot write a new CA to " + dir + ": " + e, e);
      }
      log.info("created a new root for trust domain {} in {}", trustDomain, dir);
      return material;
    }

    private Material load(Path dir) throws CertificateSourceException {
      PrivateKey key = Pem.readPrivateKey(read(dir, CA_KEY), dir.resolve(CA_KEY).toString());
      X509Certificate caCert = Pem.readCertificates(read(dir, CA_CERT), dir.resolve(CA_CERT).toString())
          .get(0);
      List<X509Certificate> roots =
          Pem.readCertificates(read(dir, ROOT_CERT), dir.resolve(ROOT_CERT).toString());
      List<X509Certificate> chain = Files.exists(dir.resolve(CERT_CHAIN))
          ? Pem.readCertificates(read(dir, CERT_CHAIN), dir.resolve(CERT_CHAIN).toString())
          : List.of(caCert);
      String where = dir.resolve(CA_CERT).toString();
      if (caCert.getBasicConstraints() < 0) {
        throw new CertificateSourceException(where + ": the certificate is not a CA (cA=false)");
      }
      if (!KeyPairs.matches(key, caCert.getPublicKey())) {
        throw new CertificateSourceException(
            dir.resolve(CA_KEY) + " is not the private key of the certificate in " + where);
      }
      Date now = Date.from(clock.instant());
      if (caCert.getNotAfter().before(now)) {
        throw new CertificateSourceException(where + ": the CA certificate expired at "
            + caCert.getNotAfter().toInstant());
      }
      List<X509Certificate> signingChain = new ArrayList<>();
      signingChain.add(caCert);
      for (X509Certificate c : chain) {
        if (!c.equals(caCert) && !roots.contains(c)) {
          signingChain.add(c);
        }
      }
      TrustDomain domain = trustDomainOf(caCert, roots, dir);
      checkChainsToRoot(domain, key, signingChain, roots, dir);
      return new Material(domain, key, List.copyOf(signingChain), roots);
    }

    /**
     * The trust domain the CA names as its SPIFFE ID (as Weft's roots do), else the configured
     * one: Istio's own roots carry no SPIFFE ID.
     */
    private TrustDomain trustDomainOf(X509Certificate caCert, List<X509Certificate> roots,
        Path dir) throws CertificateSourceException {
      List<X509Certificate> candidates = new ArrayList<>();
      candidates.add(caCert);
      candidates.addAll(roots);
      for (X509Certificate certificate : candidates) {
        TrustDomain named = spiffeTrustDomain(certificate);
        if (named == null) {
          continue;
        }
        if (trustDomainSet && !named.equals(trustDomain)) {
          throw new CertificateSourceException("the CA in " + dir + " is for trust domain "
              + named + " (its certificate names " + named.idString() + "), not " + trustDomain);
        }
        return named;
      }
      return trustDomain;
    }

    private static TrustDomain spiffeTrustDomain(X509Certificate certificate) {
      try {
        if (certificate.getSubjectAlternativeNames() == null) {
          return null;
        }
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
          if (Integer.valueOf(6).equals(name.get(0))
              && String.valueOf(name.get(1)).startsWith("spiffe://")) {
            return SpiffeId.parse(String.valueOf(name.get(1))).trustDomain();
          }
        }
      } catch (CertificateParsingException | InvalidSpiffeIdException e) {
        return null;
      }
      return null;
    }

    private void checkChainsToRoot(TrustDomain domain, PrivateKey key,
        List<X509Certificate> signingChain, List<X509Certificate> roots, Path dir)
        throws CertificateSourceException {
      // Issue a throwaway SVID and verify it as a peer would: proves the chain reaches a root.
      KeyPair probe = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(CaCertificates.workload(probe.getPublic(),
          SpiffeId.of(domain, "weft-ca-self-check"), signingChain.get(0),
          key, now, now.plusSeconds(60)));
      chain.addAll(signingChain);
      try {
        X509Svids.verify(chain, TrustBundles.of(domain, roots), X509Svids.Purpose.CLIENT,
            Date.from(now));
      } catch (CertificateException | InvalidSpiffeIdException e) {
        throw new CertificateSourceException(
            "the CA in " + dir + " does not chain to " + ROOT_CERT + ": " + e.getMessage(), e);
      }
    }

    private static boolean holdsCa(Path dir) throws CertificateSourceException {
      boolean any = false;
      boolean all = true;
      for (String name : List.of(CA_CERT, CA_KEY, ROOT_CERT)) {
        boolean exists = Files.exists(dir.resolve(name));
        any |= exists;
        all &= exists;
      }
      if (any && !all) {
        throw new CertificateSourceException(dir + " holds part of a CA: it needs " + CA_CERT
            + ", " + CA_KEY + " and " + ROOT_CERT + " (and optionally " + CERT_CHAIN + ")");
      }
      return all;
    }

    private static String read(Path dir, String name) throws CertificateSourceException {
      Path file = dir.resolve(name);
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CertificateSourceException(file + " is missing", e);
      } catch (IOException e) {
        throw new CertificateSourceException("cannot read " + file + ": " + e, e);
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
