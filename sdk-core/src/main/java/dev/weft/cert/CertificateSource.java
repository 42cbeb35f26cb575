package dev.weft.cert;

/**
 * Where a workload's certificate comes from: a CA it sends certificate requests to
 * ({@link IstioCaClient}, {@link LocalCertificateAuthority}) or files another agent keeps
 * up to date ({@link FileCertificateSource}). {@link WorkloadCertificates} decides when to ask.
 */
public interface CertificateSource extends AutoCloseable {

  /**
   * Produces a credential now: a CA source generates a new key and has it signed; a file source
   * reads what its files hold. Blocking; never called on a request path.
   */
  WorkloadCredential fetch() throws CertificateSourceException;

  /**
   * Asks to be told when the credential changed without a fetch, as when files are rewritten.
   * Sources that only change when asked keep the default, which never calls back.
   */
  default void watch(Runnable onChange) {}

  /** Names the source in logs and errors, for example {@code istiod.istio-system.svc:15012}. */
  String description();

  /** Releases connections, threads and watches. */
  @Override
  default void close() {}
}
