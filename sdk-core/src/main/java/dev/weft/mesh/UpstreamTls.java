package dev.weft.mesh;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** How a client talks to one endpoint, and why. */
public sealed interface UpstreamTls {

  /** The deciding reason first, in the words of the resources that decided it. */
  List<String> because();

  /** What is spoken, as messages say it: {@code mesh mTLS}, {@code TLS (SIMPLE)}, {@code TLS (MUTUAL)} or {@code plaintext}. */
  default String describe() {
    if (this instanceof MeshMtls) {
      return "mesh mTLS";
    }
    if (this instanceof OriginatedTls originated) {
      return originated.mutual() ? "TLS (MUTUAL)" : "TLS (SIMPLE)";
    }
    return "plaintext";
  }

  /** Plaintext. */
  record Plaintext(List<String> because) implements UpstreamTls {
    public Plaintext {
      because = List.copyOf(because);
    }
  }

  /**
   * Mesh mTLS with the workload's own certificate. The server must present one of
   * {@code expected}; when that is empty (a control plane that does not say, as istiod for auto
   * mTLS), any identity of {@code trustDomain}.
   */
  record MeshMtls(Set<SpiffeId> expected, TrustDomain trustDomain, Optional<String> sni,
      List<String> because) implements UpstreamTls {
    public MeshMtls {
      expected = Set.copyOf(expected);
      Objects.requireNonNull(trustDomain, "trustDomain");
      Objects.requireNonNull(sni, "sni");
      because = List.copyOf(because);
    }
  }

  /**
   * TLS a DestinationRule asks for outside the mesh: SIMPLE (no client certificate) or MUTUAL
   * (the rule's client certificate), verifying the server against {@code caCertificates} or,
   * when that is empty, the system's roots.
   */
  record OriginatedTls(
      boolean mutual, Optional<Path> clientCertificate, Optional<Path> privateKey,
      Optional<Path> caCertificates, List<String> subjectAltNames, Optional<String> sni,
      boolean insecureSkipVerify, List<String> because) implements UpstreamTls {
    public OriginatedTls {
      Objects.requireNonNull(clientCertificate, "clientCertificate");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(caCertificates, "caCertificates");
      subjectAltNames = List.copyOf(subjectAltNames);
      Objects.requireNonNull(sni, "sni");
      because = List.copyOf(because);
    }
  }
}
