package dev.weft.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

  @Test
  void parsesIstioWorkloadIdentity() {
    SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");

    assertThat(id.trustDomain()).isEqualTo(TrustDomain.parse("cluster.local"));
    assertThat(id.path()).isEqualTo("/ns/bar/sa/httpbin");
    assertThat(id.namespace()).contains("bar");
    assertThat(id.serviceAccount()).contains("httpbin");
    assertThat(id).hasToString("spiffe://cluster.local/ns/bar/sa/httpbin");
  }

  @Test
  void otherPathShapesHaveNoIstioParts() {
    SpiffeId id = SpiffeId.parse("spiffe://example.org/payments/web-fe");

    assertThat(id.namespace()).isEmpty();
    assertThat(id.serviceAccount()).isEmpty();
  }

  @Test
  void schemeIsCaseInsensitiveAndNormalised() {
    assertThat(SpiffeId.parse("SPIFFE://example.org/a")).hasToString("spiffe://example.org/a");
  }

  @Test
  void pathIsCaseSensitive() {
    assertThat(SpiffeId.parse("spiffe://example.org/A"))
        .isNotEqualTo(SpiffeId.parse("spiffe://example.org/a"));
  }

  @Test
  void trustDomainOnlyIdHasEmptyPath() {
    assertThat(SpiffeId.parse("spiffe://example.org").path()).isEmpty();
  }

  @Test
  void buildsFromSegmentsWithTheSameRules() {
    TrustDomain td = TrustDomain.parse("cluster.local");

    assertThat(SpiffeId.forServiceAccount(td, "foo", "sleep"))
        .hasToString("spiffe://cluster.local/ns/foo/sa/sleep");
    assertThatThrownBy(() -> SpiffeId.of(td, "ns", "a/b"))
        .isInstanceOf(InvalidSpiffeIdException.class);
  }

  @Test
  void acceptsTheMaximumLength() {
    String prefix = "spiffe://example.org/";
    String id = prefix + "a".repeat(2048 - prefix.length());

    assertThat(SpiffeId.parse(id).toString()).hasSize(2048);
    assertThatThrownBy(() -> SpiffeId.parse(id + "a"))
        .hasMessageContaining("longer than 2048 bytes");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                     | it is empty",
      "http://example.org/a                   | the scheme is \"http\"",
      "example.org/a                          | does not start with \"spiffe://\"",
      "spiffe://                              | the trust domain is empty",
      "spiffe:///a                            | the trust domain is empty",
      "spiffe://Example.org/a                 | the trust domain must be lowercase",
      "spiffe://example.org:8443/a            | must not have a port",
      "spiffe://user@example.org/a            | must not have user info",
      "spiffe://exa%20mple.org/a              | must not be percent-encoded",
      "spiffe://exam+ple.org/a                | the trust domain has the character '+'",
      "spiffe://example.org/a?x=1             | must not have a query",
      "spiffe://example.org/a#frag            | must not have a fragment",
      "spiffe://example.org/                  | the path is \"/\"",
      "spiffe://example.org/a/                | must not end with '/'",
      "spiffe://example.org//a                | empty segment",
      "spiffe://example.org/./a               | a \".\" segment",
      "spiffe://example.org/a/..              | a \"..\" segment",
      "spiffe://example.org/a%2Fb             | the path must not be percent-encoded",
      "spiffe://example.org/a b               | the path has the character ' '",
      "spiffe://example.org/a*b               | the path has the character '*'",
  })
  void rejectsInvalidIdsWithTheReason(String input, String reason) {
    assertThatThrownBy(() -> SpiffeId.parse(input))
        .isInstanceOf(InvalidSpiffeIdException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cluster.local", "a-b_c.d9", "10.0.0.1"})
  void acceptsValidTrustDomains(String name) {
    assertThat(TrustDomain.parse(name).name()).isEqualTo(name);
  }

  @Test
  void trustDomainTooLongIsRejected() {
    assertThatThrownBy(() -> TrustDomain.parse("a".repeat(256)))
        .hasMessageContaining("longer than 255 bytes");
  }

  @Test
  void aBadTrustDomainIsCalledATrustDomain() {
    assertThatThrownBy(() -> TrustDomain.parse("Cluster.local"))
        .hasMessage("Invalid trust domain \"Cluster.local\": the trust domain must be lowercase,"
            + " found 'C'");
  }

  @Test
  void trustDomainParsesFromAnId() {
    assertThat(TrustDomain.parse("spiffe://example.org/ns/a/sa/b"))
        .isEqualTo(TrustDomain.parse("example.org"));
  }
}
