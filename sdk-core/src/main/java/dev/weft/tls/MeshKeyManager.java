package dev.weft.tls;

import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.WorkloadCertificates;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the workload's current certificate in every handshake, for JSSE, Netty (JDK or
 * BoringSSL) and grpc-java alike. The alias names a snapshot generation, so the chain and the
 * key a handshake asks for separately always come from the same snapshot, even when a rotation
 * lands between the two calls.
 */
public final class MeshKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS_PREFIX = "weft-";
  private static final int RECENT = 8;

  private final WorkloadCertificates certificates;
  /** The last few snapshots handed out, by generation modulo {@link #RECENT}. */
  private final AtomicReferenceArray<Issued> recent = new AtomicReferenceArray<>(RECENT);

  private MeshKeyManager(WorkloadCertificates certificates) {
    this.certificates = certificates;
  }

  /** A key manager that always serves {@code certificates}' current snapshot. */
  public static MeshKeyManager create(WorkloadCertificates certificates) {
    return new MeshKeyManager(Objects.requireNonNull(certificates, "certificates"));
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Issued issued = lookup(alias);
    return issued == null ? null : issued.chain.clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Issued issued = lookup(alias);
    return issued == null ? null : issued.snapshot.privateKey();
  }

  private String aliasFor(String... keyTypes) {
    CertificateSnapshot snapshot = certificates.current();
    if (keyTypes == null) {
      return null;
    }
    for (String keyType : keyTypes) {
      if (keyType != null && suits(keyType, snapshot.privateKey().getAlgorithm())) {
        return remember(snapshot).alias;
      }
    }
    return null;
  }

  /** Key type names differ between JSSE (EC, RSA) and Netty's OpenSSL glue (EC_EC, EC_RSA). */
  private static boolean suits(String keyType, String keyAlgorithm) {
    if (keyAlgorithm.equals("EC")) {
      return keyType.equals("EC") || keyType.equals("EC_EC") || keyType.equals("EC_RSA");
    }
    return keyType.equals(keyAlgorithm);
  }

  private Issued remember(CertificateSnapshot snapshot) {
    int slot = (int) (snapshot.generation() % RECENT);
    Issued issued = recent.get(slot);
    if (issued == null || issued.snapshot != snapshot) {
      issued = new Issued(snapshot);
      recent.set(slot, issued);
    }
    return issued;
  }

  private Issued lookup(String alias) {
    if (alias == null || !alias.startsWith(ALIAS_PREFIX)) {
      return null;
    }
    long generation;
    try {
      generation = Long.parseLong(alias.substring(ALIAS_PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
    Issued issued = recent.get((int) (generation % RECENT));
    return issued != null && issued.snapshot.generation() == generation ? issued : null;
  }

  private static final class Issued {
    final CertificateSnapshot snapshot;
    final String alias;
    final X509Certificate[] chain;

    Issued(CertificateSnapshot snapshot) {
      this.snapshot = snapshot;
      this.alias = ALIAS_PREFIX + snapshot.generation();
      this.chain = snapshot.chain().toArray(new X509Certificate[0]);
    }
  }
}
