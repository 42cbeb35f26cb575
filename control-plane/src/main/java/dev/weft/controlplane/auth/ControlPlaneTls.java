package dev.weft.controlplane.auth;

import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS of the control plane's gRPC port, shared by its CA and xDS services: a server
 * certificate from the control plane's own CA, and an optional client certificate, so a
 * workload may call with the X.509-SVID it was issued. Client certificates are judged per call
 * by {@link CallerAuthenticator}, so serve nothing on this port without
 * {@link AuthenticatingInterceptor}.
 */
public final class ControlPlaneTls {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneTls.class);

  /** The names the server certificate always carries, for callers on the same machine. */
  public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  /**
   * How long the server certificate is valid (at most until the CA's own certificate ends). It
   * is not rotated: a control plane running longer must be restarted to get a new one.
   */
  public static final Duration SERVER_CERTIFICATE_TTL = Duration.ofDays(365);

  private ControlPlaneTls() {}

  /**
   * Server credentials with a fresh key and a certificate from {@code ca} for the loopback names
   * and {@code extraHostNames} (DNS names or IP literals).
   */
  public static ServerCredentials serverCredentials(
      LocalCertificateAuthority ca, List<String> extraHostNames) {
    Objects.requireNonNull(ca, "ca");
    LinkedHashSet<String> names = new LinkedHashSet<>(LOOPBACK_NAMES);
    names.addAll(Objects.requireNonNull(extraHostNames, "extraHostNames"));
    KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    List<X509Certificate> chain =
        ca.signServer(key.getPublic(), new ArrayList<>(names), SERVER_CERTIFICATE_TTL);
    log.info("the control plane's TLS certificate names {} and is valid until {}",
        names, chain.get(0).getNotAfter().toInstant());
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(ascii(Pem.write(chain)), ascii(Pem.write(key.getPrivate())))
          .trustManager(new PerCallClientTrustManager(ca.rootCertificates()))
          .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("gRPC could not read a certificate and key just made", e);
    }
  }

  private static InputStream ascii(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
