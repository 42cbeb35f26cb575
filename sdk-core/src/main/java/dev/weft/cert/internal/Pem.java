package dev.weft.cert.internal;

import dev.weft.cert.CertificateSourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Reads and writes PEM; every parse error names the source it came from. */
public final class Pem {
  private Pem() {}

  /** Parses every CERTIFICATE block in {@code pem}; at least one must be present. */
  public static List<X509Certificate> readCertificates(String pem, String source)
      throws CertificateSourceException {
    List<X509Certificate> certificates = new ArrayList<>();
    int index = 0;
    for (PemObject block : blocks(pem, source)) {
      index++;
      if (!block.getType().equals("CERTIFICATE")) {
        throw new CertificateSourceException(
            source + ": PEM block " + index + " is \"" + block.getType()
                + "\", expected \"CERTIFICATE\"");
      }
      try {
        certificates.add(
            (X509Certificate)
                certificateFactory()
                    .generateCertificate(new ByteArrayInputStream(block.getContent())));
      } catch (CertificateException e) {
        throw new CertificateSourceException(
            source + ": certificate " + index + " is not a valid X.509 certificate: "
                + e.getMessage(),
            e);
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateSourceException(source + ": no PEM certificate found");
    }
    return List.copyOf(certificates);
  }

  /** Parses one private key: PKCS#8, PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). */
  public static PrivateKey readPrivateKey(String pem, String source)
      throws CertificateSourceException {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
      if (parsed != null && parser.readObject() != null) {
        throw new CertificateSourceException(source + ": more than one PEM block; expected one private key");
      }
    } catch (CertificateSourceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CertificateSourceException(source + ": malformed PEM: " + e.getMessage(), e);
    }
    if (parsed == null) {
      throw new CertificateSourceException(source + ": no PEM private key found");
    }
    if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new CertificateSourceException(
          source + ": the private key is encrypted; Weft needs an unencrypted key");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new CertificateSourceException(source + ": unreadable private key: " + e.getMessage(), e);
    }
    throw new CertificateSourceException(
        source + ": holds a " + describe(parsed) + ", expected a private key");
  }

  /** Parses one PKCS#10 certificate request. */
  public static PKCS10CertificationRequest readCertificateRequest(String pem, String source)
      throws CertificateSourceException {
    List<PemObject> blocks = blocks(pem, source);
    if (blocks.size() != 1) {
      throw new CertificateSourceException(
          source + ": expected one PEM CERTIFICATE REQUEST, found " + blocks.size() + " PEM blocks");
    }
    PemObject block = blocks.get(0);
    if (!block.getType().equals("CERTIFICATE REQUEST")
        && !block.getType().equals("NEW CERTIFICATE REQUEST")) {
      throw new CertificateSourceException(
          source + ": the PEM block is \"" + block.getType() + "\", expected \"CERTIFICATE REQUEST\"");
    }
    try {
      return new PKCS10CertificationRequest(block.getContent());
    } catch (IOException | RuntimeException e) {
      throw new CertificateSourceException(
          source + ": not a valid PKCS#10 certificate request: " + e.getMessage(), e);
    }
  }

  /** Encodes certificates as consecutive PEM blocks, in order. */
  public static String write(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      out.append(write(certificate));
    }
    return out.toString();
  }

  /** Encodes one certificate as a PEM block. */
  public static String write(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException("a parsed certificate could not be re-encoded", e);
    }
  }

  /** Encodes a private key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
  public static String write(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** Encodes a certificate request as a {@code CERTIFICATE REQUEST} block. */
  public static String write(PKCS10CertificationRequest request) {
    try {
      return block("CERTIFICATE REQUEST", request.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("a certificate request could not be encoded", e);
    }
  }

  private static String block(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed", e);
    }
    return out.toString();
  }

  private static List<PemObject> blocks(String pem, String source) throws CertificateSourceException {
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject block;
      while ((block = reader.readPemObject()) != null) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw new CertificateSourceException(source + ": malformed PEM: " + e.getMessage(), e);
    }
    return blocks;
  }

  private static String describe(Object parsed) {
    if (parsed instanceof org.bouncycastle.cert.X509CertificateHolder) {
      return "certificate";
    }
    if (parsed instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo) {
      return "public key";
    }
    return parsed.getClass().getSimpleName();
  }

  private static CertificateFactory certificateFactory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
  }
}
