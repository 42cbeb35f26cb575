package dev.weft.controlplane.ca;

import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.internal.Durations;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.ca.IstioCertificateRequest;
import dev.weft.cert.internal.ca.IstioCertificateResponse;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc.IstioCertificateServiceImplBase;
import dev.weft.controlplane.auth.AuthenticatingInterceptor;
import dev.weft.controlplane.auth.Caller;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's CA API ({@code istio.v1.auth.IstioCertificateService}), as istiod serves it: signs a
 * workload's certificate request for the identity the caller authenticated as, whatever the
 * request names, using only the request's public key. A request with no TTL gets the CA's
 * default; one above the CA's maximum is refused. Serve it behind an
 * {@link AuthenticatingInterceptor}, which names the caller.
 */
public final class CertificateAuthorityService extends IstioCertificateServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(CertificateAuthorityService.class);

  private static final String IMPERSONATED_IDENTITY = "ImpersonatedIdentity";

  private final LocalCertificateAuthority ca;

  /** Signs with {@code ca}. */
  public CertificateAuthorityService(LocalCertificateAuthority ca) {
    this.ca = Objects.requireNonNull(ca, "ca");
  }

  @Override
  public void createCertificate(
      IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> responses) {
    Caller caller = AuthenticatingInterceptor.CALLER.get();
    if (caller == null) {
      log.error("the CA service is served without an AuthenticatingInterceptor; refused a call");
      responses.onError(Status.INTERNAL
          .withDescription("the CA service was called without authentication")
          .asRuntimeException());
      return;
    }
    if (request.getMetadata().containsFields(IMPERSONATED_IDENTITY)) {
      refuse(caller, Status.PERMISSION_DENIED.withDescription("impersonation is not supported: "
          + "the request's metadata names " + IMPERSONATED_IDENTITY), responses);
      return;
    }
    List<X509Certificate> chain;
    try {
      chain = ca.sign(
          request.getCsr(), caller.identity(), Duration.ofSeconds(request.getValidityDuration()));
    } catch (CertificateSourceException e) {
      refuse(caller, Status.INVALID_ARGUMENT.withDescription(e.getMessage()), responses);
      return;
    } catch (RuntimeException e) {
      log.error("failed to sign a certificate for {} (caller {})",
          caller.identity(), caller.address(), e);
      responses.onError(Status.INTERNAL
          .withDescription("the CA failed to sign the request; the control plane's log says why")
          .asRuntimeException());
      return;
    }
    X509Certificate leaf = chain.get(0);
    log.info("issued a certificate for {} valid {} to {}", caller.identity(),
        Durations.format(Duration.between(
            leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())),
        caller.address());
    responses.onNext(IstioCertificateResponse.newBuilder()
        .addAllCertChain(chain.stream().map(Pem::write).toList())
        .build());
    responses.onCompleted();
  }

  private static void refuse(
      Caller caller, Status status, StreamObserver<IstioCertificateResponse> responses) {
    log.warn("refused a certificate for {} to {}: {}", caller.identity(), caller.address(),
        status.getDescription());
    responses.onError(status.asRuntimeException());
  }
}
