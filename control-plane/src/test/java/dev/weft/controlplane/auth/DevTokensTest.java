package dev.weft.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.identity.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevTokensTest {
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
  private static final SpiffeId DB = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/db");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  @TempDir Path tmp;

  private final byte[] key = new byte[32];
  private final DevTokens tokens = new DevTokens(key);

  @Test
  void issuedTokenVerifiesToItsIdentity() throws Exception {
    assertThat(tokens.verify(tokens.issue(WEB))).isEqualTo(WEB);
  }

  @Test
  void tokenNamesItsIdentityAndAnHmacInBase64urlWithoutPadding() throws Exception {
    String token = tokens.issue(WEB);

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("weft1");
    assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
        .isEqualTo(WEB.toString());
    assertThat(parts[2]).isEqualTo(BASE64URL.encodeToString(hmac("weft1." + parts[1])));
    assertThat(token).doesNotContain("=", "+", "/");
  }

  @Test
  void tokenWhoseIdentityWasSwappedIsRejected() {
    String token = tokens.issue(WEB);
    String swapped = "weft1." + encode(DB.toString()) + token.substring(token.lastIndexOf('.'));

    assertThatThrownBy(() -> tokens.verify(swapped))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token's signature does not verify: it was altered or issued under "
            + "another key");
  }

  @Test
  void tokenWhoseSignatureWasAlteredIsRejected() {
    String token = tokens.issue(WEB);
    char last = token.charAt(token.length() - 2);
    String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
        + token.charAt(token.length() - 1);

    assertThatThrownBy(() -> tokens.verify(altered))
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void tokenOfAnotherKeyIsRejected() {
    String foreign = DevTokens.inMemory().issue(WEB);

    assertThatThrownBy(() -> tokens.verify(foreign))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("issued under another key");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                     | the token is empty
      no-dots-at-all         | the token is malformed: expected weft1.<identity>.<signature>
      weft1.abc              | the token is malformed: expected weft1.<identity>.<signature>
      weft1.a.b.c            | the token is malformed: expected weft1.<identity>.<signature>
      weft1..c2ln            | the token is malformed: expected weft1.<identity>.<signature>
      weft1.aWQ.             | the token is malformed: expected weft1.<identity>.<signature>
      Bearer.aWQ.c2ln        | the token is not a Weft token: it does not start with "weft1."
      weft1.a*b.c2ln         | the token is malformed: its identity is not base64url
      weft1.aWQ.c2l*         | the token is malformed: its signature is not base64url
      weft1.aWQ.c2ln         | the token's signature does not verify: it was altered or issued under another key
      """)
  void malformedTokenIsRejectedWithItsReason(String token, String reason) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage(reason);
  }

  @Test
  void rejectionDoesNotRepeatTheToken() {
    String token = DevTokens.inMemory().issue(WEB);
    String signature = token.substring(token.lastIndexOf('.') + 1);

    assertThatThrownBy(() -> tokens.verify(token))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(signature, token));
  }

  @Test
  void signedTokenNamingATrustDomainIsNotAWorkloadIdentity() {
    String token = signed("spiffe://cluster.local");

    assertThatThrownBy(() -> tokens.verify(token))
        .hasMessage("the token names spiffe://cluster.local, a trust domain, not a workload "
            + "identity");
  }

  @Test
  void signedTokenNamingNoSpiffeIdIsRejected() {
    String token = signed("https://cluster.local/ns/shop/sa/web");

    assertThatThrownBy(() -> tokens.verify(token))
        .hasMessageStartingWith("the token does not name a SPIFFE ID: ");
  }

  @Test
  void issuingForATrustDomainIsRefused() {
    assertThatThrownBy(() -> tokens.issue(SpiffeId.parse("spiffe://cluster.local")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names a trust domain, not a workload");
  }

  @Test
  void keyFileIsCreatedOwnerOnlyAndReusedByLaterInstances() throws Exception {
    Path state = tmp.resolve("state");

    DevTokens first = DevTokens.inDirectory(state);
    Path keyFile = state.resolve(DevTokens.KEY_FILE);
    byte[] keyBytes = Files.readAllBytes(keyFile);
    DevTokens second = DevTokens.inDirectory(state);

    assertThat(mode(keyFile)).isEqualTo("rw-------");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(second.verify(first.issue(WEB))).isEqualTo(WEB);
    assertThat(first.verify(second.issue(DB))).isEqualTo(DB);
    assertThat(Files.readAllBytes(keyFile)).isEqualTo(keyBytes);
    assertThat(Base64.getDecoder().decode(new String(keyBytes, StandardCharsets.US_ASCII).strip()))
        .hasSize(32);
  }

  @Test
  void separateStateDirectoriesHaveSeparateKeys() throws Exception {
    DevTokens one = DevTokens.inDirectory(tmp.resolve("one"));
    DevTokens two = DevTokens.inDirectory(tmp.resolve("two"));

    assertThatThrownBy(() -> two.verify(one.issue(WEB)))
        .hasMessageContaining("issued under another key");
  }

  @Test
  void keyFileThatHoldsNoKeyIsReportedByName() throws Exception {
    Path keyFile = tmp.resolve(DevTokens.KEY_FILE);
    Files.writeString(keyFile, "not a key\n");

    assertThatThrownBy(() -> DevTokens.inDirectory(tmp))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(keyFile + " does not hold a token key: expected 32 bytes in "
            + "base64");
    assertThat(Files.readString(keyFile)).isEqualTo("not a key\n");
  }

  @Test
  void tokenFileIsWrittenOwnerOnlyAndVerifies() throws Exception {
    Path tokenFile = tmp.resolve("tokens/web-token");

    tokens.writeTokenFile(WEB, tokenFile);

    assertThat(mode(tokenFile)).isEqualTo("rw-------");
    assertThat(tokens.verify(Files.readString(tokenFile).strip())).isEqualTo(WEB);
  }

  @Test
  void tokenFileIsReplacedWhole() throws Exception {
    Path tokenFile = tmp.resolve("token");
    tokens.writeTokenFile(WEB, tokenFile);

    tokens.writeTokenFile(DB, tokenFile);

    assertThat(tokens.verify(Files.readString(tokenFile).strip())).isEqualTo(DB);
    assertThat(mode(tokenFile)).isEqualTo("rw-------");
  }

  private String signed(String payload) {
    String signed = "weft1." + encode(payload);
    return signed + "." + BASE64URL.encodeToString(hmac(signed));
  }

  private byte[] hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256"));
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String encode(String s) {
    return BASE64URL.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
