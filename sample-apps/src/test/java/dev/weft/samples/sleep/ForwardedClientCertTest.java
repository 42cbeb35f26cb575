package dev.weft.samples.sleep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ForwardedClientCertTest {

  @Test
  void theIdentityIsTheUriOfTheLastElement() {
    String json = """
        {"headers": {"Host": "httpbin.bar:8000", "X-Forwarded-Client-Cert":
          "By=spiffe://cluster.local/ns/a/sa/gw;URI=spiffe://cluster.local/ns/a/sa/first,\
        By=spiffe://cluster.local/ns/bar/sa/httpbin;Hash=abc;Subject=\\"CN=x, O=y\\";\
        URI=spiffe://cluster.local/ns/foo/sa/sleep"}}
        """;

    assertThat(ForwardedClientCert.seenIdentity(json))
        .contains("spiffe://cluster.local/ns/foo/sa/sleep");
  }

  @Test
  void headerNamesMatchInAnyCaseAndValuesMayBeArrays() {
    String json = """
        {"headers": {"x-forwarded-client-cert": ["By=b;uri=spiffe://cluster.local/ns/foo/sa/sleep"]}}
        """;

    assertThat(ForwardedClientCert.seenIdentity(json))
        .contains("spiffe://cluster.local/ns/foo/sa/sleep");
  }

  @Test
  void noForwardedClientCertMeansNoIdentity() {
    assertThat(ForwardedClientCert.seenIdentity("{\"headers\": {\"Host\": \"httpbin.bar:8000\"}}"))
        .isEmpty();
  }

  @Test
  void anAnswerThatIsNotHttpbinsHeadersIsAnError() {
    assertThatThrownBy(() -> ForwardedClientCert.seenIdentity("<html>no</html>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/headers");
  }
}
