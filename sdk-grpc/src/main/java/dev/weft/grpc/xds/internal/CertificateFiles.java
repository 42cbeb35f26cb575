package dev.weft.grpc.xds.internal;

import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's certificate, key and roots as files for grpc-java's {@code file_watcher}, in
 * a directory only the process's user can read, rewritten atomically on every rotation and
 * removed on close. The key stays in memory everywhere else; grpc-java can read it no other way.
 */
public final class CertificateFiles implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateFiles.class);

  private final WorkloadCertificates certificates;
  private final Path directory;
  private final Consumer<CertificateSnapshot> rewrite = this::rewrite;
  private boolean closed;

  private CertificateFiles(WorkloadCertificates certificates, Path directory) {
    this.certificates = certificates;
    this.directory = directory;
  }

  /** Writes the current certificate into a new private directory and follows rotations. */
  public static CertificateFiles write(WorkloadCertificates certificates) throws IOException {
    Path directory = Files.createTempDirectory("weft-grpc-xds-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    CertificateFiles files = new CertificateFiles(certificates, directory);
    try {
      files.writeAll(certificates.current());
    } catch (IOException | RuntimeException e) {
      files.delete();
      throw e;
    }
    certificates.addListener(files.rewrite);
    return files;
  }

  /** The directory holding the files, mode 0700. */
  public Path directory() {
    return directory;
  }

  /** The certificate chain, leaf first. */
  public Path chain() {
    return directory.resolve("cert-chain.pem");
  }

  /** The private key, mode 0600. */
  public Path key() {
    return directory.resolve("key.pem");
  }

  /** The roots of every trust domain the workload trusts. */
  public Path roots() {
    return directory.resolve("root-cert.pem");
  }

  private synchronized void rewrite(CertificateSnapshot snapshot) {
    if (closed) {
      return;
    }
    try {
      writeAll(snapshot);
      log.debug("wrote certificate generation {} for grpc-java's file_watcher",
          snapshot.generation());
    } catch (IOException e) {
      log.error("cannot write the rotated certificate to {}: grpc-java keeps presenting the old"
          + " one until it expires", directory, e);
    }
  }

  /**
   * Roots first, so that a peer's new chain verifies as soon as it is read; then key and chain,
   * which grpc-java reads as a pair whenever either changed.
   */
  private void writeAll(CertificateSnapshot snapshot) throws IOException {
    SecureFiles.writePublic(roots(), Pem.write(snapshot.trustBundles().allRoots()));
    SecureFiles.writeSecret(key(), Pem.write(snapshot.privateKey()));
    SecureFiles.writePublic(chain(), Pem.write(snapshot.chain()));
  }

  /** Stops following rotations and removes the directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    certificates.removeListener(rewrite);
    delete();
  }

  private void delete() {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + directory, e);
    }
  }
}
