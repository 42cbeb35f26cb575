package dev.weft.controlplane.auth;

import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Development tokens that bind one workload identity, Weft's stand-in for the Kubernetes
 * service-account tokens istiod reviews. A token reads {@code weft1.<id>.<mac>}: the SPIFFE ID
 * and an HMAC-SHA256 of {@code weft1.<id>} under a secret key, both base64url without padding.
 *
 * <p>A token is a bearer credential: whoever holds it is that identity to the control plane, and
 * it does not expire. Keep token files mode 0600, as {@link #writeTokenFile} writes them; change
 * the key to revoke every token at once.
 */
public final class DevTokens {
  /** The key's file name in the control plane's state directory; mode 0600. */
  public static final String KEY_FILE = "token-key";

  private static final String VERSION = "weft1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int KEY_BYTES = 32;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  DevTokens(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a token key is " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /**
   * Tokens under the key in {@code stateDirectory}'s {@value #KEY_FILE}, which is created with
   * a fresh random key if absent.
   */
  public static DevTokens inDirectory(Path stateDirectory) throws IOException {
    Path keyFile = SecureFiles.createPrivateDirectory(stateDirectory).resolve(KEY_FILE);
    if (Files.exists(keyFile)) {
      return new DevTokens(readKey(keyFile));
    }
    // A control plane owns its state directory, so nothing else creates the key meanwhile.
    byte[] key = randomKey();
    SecureFiles.writeSecret(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
    return new DevTokens(key);
  }

  /** Tokens under a fresh random key that lives only as long as this object. */
  public static DevTokens inMemory() {
    return new DevTokens(randomKey());
  }

  /** A token for {@code identity}, which must name a workload (have a path). */
  public String issue(SpiffeId identity) {
    Objects.requireNonNull(identity, "identity");
    if (identity.path().isEmpty()) {
      throw new IllegalArgumentException(
          identity + " names a trust domain, not a workload; a token binds a workload identity");
    }
    String signed = VERSION + "." + ENCODER.encodeToString(identity.toString().getBytes(StandardCharsets.UTF_8));
    return signed + "." + ENCODER.encodeToString(mac(signed));
  }

  /** The workload identity {@code token} names, if a token of this key. */
  public SpiffeId verify(String token) throws InvalidTokenException {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new InvalidTokenException("the token is empty");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new InvalidTokenException(
          "the token is malformed: expected " + VERSION + ".<identity>.<signature>");
    }
    if (!parts[0].equals(VERSION)) {
      throw new InvalidTokenException(
          "the token is not a Weft token: it does not start with \"" + VERSION + ".\"");
    }
    byte[] payload = decode(parts[1], "identity");
    byte[] signature = decode(parts[2], "signature");
    if (!MessageDigest.isEqual(mac(parts[0] + "." + parts[1]), signature)) {
      throw new InvalidTokenException(
          "the token's signature does not verify: it was altered or issued under another key");
    }
    SpiffeId identity;
    try {
      identity = SpiffeId.parse(new String(payload, StandardCharsets.UTF_8));
    } catch (InvalidSpiffeIdException e) {
      throw new InvalidTokenException("the token does not name a SPIFFE ID: " + e.getMessage());
    }
    if (identity.path().isEmpty()) {
      throw new InvalidTokenException(
          "the token names " + identity + ", a trust domain, not a workload identity");
    }
    return identity;
  }

  /** Writes a token for {@code identity} to {@code file}, mode 0600, replacing it atomically. */
  public void writeTokenFile(SpiffeId identity, Path file) throws IOException {
    SecureFiles.writeSecret(file, issue(identity) + "\n");
  }

  private byte[] mac(String signed) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot compute " + ALGORITHM, e);
    }
  }

  private static byte[] decode(String part, String what) throws InvalidTokenException {
    try {
      return DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(
          "the token is malformed: its " + what + " is not base64url");
    }
  }

  private static byte[] readKey(Path keyFile) throws IOException {
    String text = new String(Files.readAllBytes(keyFile), StandardCharsets.US_ASCII).strip();
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != KEY_BYTES) {
      throw new IOException(keyFile + " does not hold a token key: expected " + KEY_BYTES
          + " bytes in base64; remove it to create a new key, which invalidates every token");
    }
    return key;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
