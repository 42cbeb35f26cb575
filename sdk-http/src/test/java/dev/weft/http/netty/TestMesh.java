package dev.weft.http.netty;

import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.testing.MeshYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * A local mesh folder with {@code httpbin} in {@code bar} (container port 80, behind Service port
 * 8000) under a PeerAuthentication whose mode a test sets and flips, and the workloads of it.
 */
final class TestMesh {
  static final int PORT = 80;
  static final SpiffeId HTTPBIN = SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");
  static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Path folder;

  TestMesh(Path folder) {
    this.folder = folder;
  }

  /** Writes the policy atomically, as a deployment tool would: a new file renamed into place. */
  TestMesh mode(MtlsMode mode) {
    MeshYaml.write(folder, MeshYaml.service("httpbin", "bar"),
        MeshYaml.peerAuthentication("bar", "httpbin", mode));
    return this;
  }

  /** The server workload, serving container port 80. */
  Mesh startHttpbin() throws IOException {
    return Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin")).servePort(PORT)
        .localConfig(folder).startupTimeout(WAIT).build().start();
  }

  /** A client workload; its certificate is what mesh clients present. */
  Mesh startSleep() throws IOException {
    return Mesh.builder().namespace("foo").serviceAccount("sleep")
        .localConfig(folder).startupTimeout(WAIT).build().start();
  }

  /** Writes {@code mesh}'s current key (0600), chain and roots as PEM, for curl and openssl. */
  static PemFiles writePem(Mesh mesh, Path dir) throws IOException {
    CertificateSnapshot current = mesh.certificates().current();
    PemFiles files = new PemFiles(dir.resolve("key.pem"), dir.resolve("cert-chain.pem"),
        dir.resolve("root-cert.pem"));
    SecureFiles.writeSecret(files.key(), Pem.write(current.privateKey()));
    SecureFiles.writePublic(files.chain(), Pem.write(current.chain()));
    SecureFiles.writePublic(files.roots(), Pem.write(current.trustBundles().allRoots()));
    return files;
  }

  /** curl's {@code --pinnedpubkey} for {@code mesh}'s key: SVIDs name no host to verify. */
  static String pin(Mesh mesh) {
    byte[] spki = mesh.certificates().current().leaf().getPublicKey().getEncoded();
    return "sha256//" + Base64.getEncoder().encodeToString(sha256(spki));
  }

  /** The lowercase hex SHA-256 of {@code mesh}'s leaf certificate, as XFCC's Hash has it. */
  static String leafHash(Mesh mesh) throws Exception {
    return HexFormat.of().formatHex(sha256(mesh.certificates().current().leaf().getEncoded()));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  record PemFiles(Path key, Path chain, Path roots) {}
}
