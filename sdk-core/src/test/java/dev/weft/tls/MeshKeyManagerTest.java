package dev.weft.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeshKeyManagerTest {
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

  private final LocalCertificateAuthority ca =
      LocalCertificateAuthority.inMemory(TrustDomain.parse("cluster.local"));
  private WorkloadCertificates certificates;

  @BeforeEach
  void start() throws Exception {
    certificates = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();
  }

  @AfterEach
  void stop() {
    certificates.close();
  }

  @Test
  void aliasChosenBeforeARotationStillGivesThatGenerationsChainAndKey() {
    MeshKeyManager keyManager = MeshKeyManager.create(certificates);
    CertificateSnapshot before = certificates.current();
    String alias = keyManager.chooseEngineServerAlias("EC", null, null);

    certificates.refreshNow();
    await().atMost(Duration.ofSeconds(5)).until(() -> certificates.current().generation() == 2);

    assertThat(keyManager.getCertificateChain(alias)).containsExactlyElementsOf(before.chain());
    assertThat(keyManager.getPrivateKey(alias)).isEqualTo(before.privateKey());
    assertThat(KeyPairs.matches(keyManager.getPrivateKey(alias),
        keyManager.getCertificateChain(alias)[0].getPublicKey())).isTrue();
    String newAlias = keyManager.chooseEngineServerAlias("EC", null, null);
    assertThat(newAlias).isNotEqualTo(alias);
    assertThat(keyManager.getCertificateChain(newAlias)[0])
        .isEqualTo(certificates.current().leaf());
  }

  @Test
  void offersTheKeyOnlyForMatchingKeyTypes() throws Exception {
    MeshKeyManager ec = MeshKeyManager.create(certificates);
    try (WorkloadCertificates rsaCertificates = WorkloadCertificates.newBuilder(
        ca.sourceFor(WEB, KeyAlgorithm.RSA_2048, Duration.ofHours(1))).build().start()) {
      MeshKeyManager rsa = MeshKeyManager.create(rsaCertificates);

      assertThat(ec.chooseServerAlias("RSA", null, null)).isNull();
      assertThat(ec.chooseServerAlias("EC", null, null)).isNotNull();
      assertThat(ec.chooseEngineServerAlias("EC_EC", null, null)).isNotNull();
      assertThat(ec.chooseClientAlias(new String[] {"RSA", "EC"}, null, null)).isNotNull();
      assertThat(rsa.chooseServerAlias("RSA", null, null)).isNotNull();
      assertThat(rsa.chooseServerAlias("EC", null, null)).isNull();
      assertThat(rsa.chooseServerAlias("RSASSA-PSS", null, null)).isNull();
    }
  }

  @Test
  void unknownAliasesGiveNothing() {
    MeshKeyManager keyManager = MeshKeyManager.create(certificates);

    assertThat(keyManager.getCertificateChain("weft-99")).isNull();
    assertThat(keyManager.getPrivateKey("other")).isNull();
    assertThat(keyManager.getPrivateKey(null)).isNull();
  }
}
