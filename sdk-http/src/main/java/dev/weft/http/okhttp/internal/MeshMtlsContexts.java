package dev.weft.http.okhttp.internal;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.UpstreamTls.MeshMtls;
import dev.weft.tls.MeshTls;
import dev.weft.tls.PeerAuthorizer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Mesh mTLS client contexts, one per expectation of the server's identity, so a resumed TLS
 * session was authorized for the same expectation; and new ones after each rotation of the
 * workload's certificate, so no connection resumes a session made with the old one.
 */
final class MeshMtlsContexts {
  private final Supplier<WorkloadCertificates> certificates;
  private final ConcurrentMap<Expectation, Built> built = new ConcurrentHashMap<>();

  MeshMtlsContexts(Supplier<WorkloadCertificates> certificates) {
    this.certificates = certificates;
  }

  /** A context that accepts only a server that {@code tls} expects. */
  SSLContext context(MeshMtls tls) {
    WorkloadCertificates current = certificates.get();
    long generation = current.current().generation();
    return built.compute(new Expectation(tls.expected(), tls.trustDomain()),
        (expectation, known) -> known != null && known.generation() == generation ? known
            : new Built(generation, MeshTls.clientContext(current, expectation.authorizer())))
        .context();
  }

  /** The identities a server may have: any of {@code expected}, else any of the trust domain. */
  private record Expectation(Set<SpiffeId> expected, TrustDomain trustDomain) {
    PeerAuthorizer authorizer() {
      return expected.isEmpty()
          ? PeerAuthorizer.inTrustDomains(Set.of(trustDomain))
          : PeerAuthorizer.anyOf(expected);
    }
  }

  private record Built(long generation, SSLContext context) {}
}
