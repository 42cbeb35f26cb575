package dev.weft.http.okhttp.internal;

import dev.weft.cert.internal.Pem;
import dev.weft.mesh.UpstreamTls.OriginatedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client contexts for TLS a DestinationRule originates, built from the rule's files: one per
 * rule's settings and host, rebuilt when one of the files changes.
 */
final class OriginatedTlsContexts {
  private static final char[] NO_PASSWORD = new char[0];

  private final ConcurrentMap<Key, Built> built = new ConcurrentHashMap<>();

  /** A context that originates {@code tls} to a server of {@code host}. */
  SSLContext context(OriginatedTls tls, String host) throws IOException {
    Key key = new Key(tls, host);
    List<FileTime> stamp = stamp(tls);
    Built current = built.get(key);
    if (current == null || !current.stamp().equals(stamp)) {
      current = new Built(stamp, build(tls, host));
      built.put(key, current);
    }
    return current.context();
  }

  private static SSLContext build(OriginatedTls tls, String host) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(tls), new TrustManager[] {
          new OriginatedTrustManager(roots(tls), tls.subjectAltNames(), host)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("the TLS files of the DestinationRule cannot be used: " + e, e);
    }
  }

  private static KeyManager[] keyManagers(OriginatedTls tls)
      throws IOException, GeneralSecurityException {
    if (!tls.mutual()) {
      return null;
    }
    Path certificate = tls.clientCertificate().orElseThrow(
        () -> new IOException("MUTUAL TLS without a clientCertificate"));
    Path key = tls.privateKey().orElseThrow(
        () -> new IOException("MUTUAL TLS without a privateKey"));
    List<X509Certificate> chain = Pem.readCertificates(read(certificate), certificate.toString());
    PrivateKey privateKey = Pem.readPrivateKey(read(key), key.toString());
    KeyStore store = emptyStore();
    store.setKeyEntry("client", privateKey, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory.getKeyManagers();
  }

  /** The roots to verify against: the rule's CA, else the system's; empty to verify nothing. */
  private static Optional<X509TrustManager> roots(OriginatedTls tls)
      throws IOException, GeneralSecurityException {
    if (tls.insecureSkipVerify()) {
      return Optional.empty();
    }
    KeyStore store = null;
    if (tls.caCertificates().isPresent()) {
      Path ca = tls.caCertificates().get();
      store = emptyStore();
      int index = 0;
      for (X509Certificate root : Pem.readCertificates(read(ca), ca.toString())) {
        store.setCertificateEntry("ca-" + index++, root);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return Optional.of(x509);
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    return store;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  /** When each file the settings name last changed; a missing file fails when it is read. */
  private static List<FileTime> stamp(OriginatedTls tls) {
    List<FileTime> stamp = new ArrayList<>();
    for (Optional<Path> file : List.of(tls.clientCertificate(), tls.privateKey(),
        tls.caCertificates())) {
      if (file.isPresent()) {
        try {
          stamp.add(Files.getLastModifiedTime(file.get()));
        } catch (IOException e) {
          stamp.add(FileTime.fromMillis(-1));
        }
      }
    }
    return stamp;
  }

  private record Key(OriginatedTls tls, String host) {}

  private record Built(List<FileTime> stamp, SSLContext context) {}
}
