package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "httpbin", "v1", "0", "a-b",
      "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh"})
  void acceptsDns1123Labels(String label) {
    assertThat(Names.checkDns1123Label(label)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "A", "a_b", "a.b",
      "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghi"})
  void rejectsWhatIsNotADns1123Label(String label) {
    assertThat(Names.checkDns1123Label(label)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpbin", "httpbin.v1", "a-b.c-d"})
  void acceptsDns1123Subdomains(String name) {
    assertThat(Names.checkDns1123Subdomain(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a..b", ".a", "a.", "Http", "a_b"})
  void rejectsWhatIsNotADns1123Subdomain(String name) {
    assertThat(Names.checkDns1123Subdomain(name)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"app", "app.kubernetes.io/name", "security.istio.io/tlsMode", "A_b.c"})
  void acceptsLabelKeys(String key) {
    assertThat(Names.checkLabelKey(key)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/app", "app/", "Example.com/app", "app*", "-app", "a/b/c"})
  void rejectsInvalidLabelKeys(String key) {
    assertThat(Names.checkLabelKey(key)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v1", "1.2.3", "a_b-c"})
  void acceptsLabelValues(String value) {
    assertThat(Names.checkLabelValue(value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v 1", "*", "-v1", "v1.", "a/b"})
  void rejectsInvalidLabelValues(String value) {
    assertThat(Names.checkLabelValue(value)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "grpc-web", "h2c", "a1234567890bcde"})
  void acceptsIanaServiceNames(String name) {
    assertThat(Names.checkIanaServiceName(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8080", "a--b", "-http", "HTTP", "a1234567890bcdef"})
  void rejectsInvalidIanaServiceNames(String name) {
    assertThat(Names.checkIanaServiceName(name)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "255.255.255.255", "::1", "2001:db8::5", "::ffff:10.0.0.1"})
  void recognisesIpAddresses(String address) {
    assertThat(Names.isIpAddress(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "10.0.0", "010.0.0.1", "example.com", "g::1", "1::2::3",
      ":", "localhost"})
  void doesNotMistakeOtherTextForIpAddresses(String text) {
    assertThat(Names.isIpAddress(text)).isFalse();
  }
}
