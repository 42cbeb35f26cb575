package dev.weft.http.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.identity.SpiffeId;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Envoy's XFCC element and its APPEND_FORWARD, for certificates an SVID test does not cover. */
class XfccTest {
  private static final SpiffeId HTTPBIN =
      SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");

  @Test
  void anElementHasEnvoysKeysInEnvoysOrderWithSubjectAndDnsNames() throws Exception {
    // Encoded O first, CN last, as usual; RFC 2253 (Java's and Envoy's OpenSSL) prints last first.
    X509Certificate leaf = certificate("O=foo,CN=sleep",
        new GeneralName(GeneralName.uniformResourceIdentifier, SLEEP.toString()),
        new GeneralName(GeneralName.dNSName, "sleep.foo.svc"),
        new GeneralName(GeneralName.dNSName, "sleep"));

    assertThat(Xfcc.element(HTTPBIN, SLEEP, leaf)).isEqualTo("By=" + HTTPBIN
        + ";Hash=" + HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()))
        + ";Subject=\"CN=sleep,O=foo\";URI=" + SLEEP + ";DNS=sleep.foo.svc;DNS=sleep");
  }

  @Test
  void appendForwardJoinsEverythingTheClientSentThenThisHop() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("X-Forwarded-Client-Cert", "By=a;URI=b")
        .add("x-forwarded-client-cert", "By=c;URI=d");

    Xfcc.appendForward(headers, Optional.of("By=e;URI=f"));

    assertThat(headers.getAll("x-forwarded-client-cert"))
        .containsExactly("By=a;URI=b,By=c;URI=d,By=e;URI=f");
  }

  @Test
  void appendForwardWithoutAnElementRemovesWhatTheClientSent() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("X-Forwarded-Client-Cert", "By=a;URI=b")
        .add("x-forwarded-client-cert", "By=c;URI=d");

    Xfcc.appendForward(headers, Optional.empty());

    assertThat(headers.contains("x-forwarded-client-cert")).isFalse();
  }

  private static X509Certificate certificate(String subject, GeneralName... names)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair key = generator.generateKeyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(subject),
        BigInteger.ONE, Date.from(now), Date.from(now.plus(Duration.ofHours(1))),
        new X500Name(subject), key.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }
}
