package dev.weft.controlplane.cli;

import dev.weft.cert.LocalCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a directory holds of a CA in Istio's plug-in CA layout. */
final class CaDirectory {
  /** The files a CA cannot do without; {@code cert-chain.pem} is optional. */
  static final List<String> REQUIRED_FILES = List.of(
      LocalCertificateAuthority.CA_CERT, LocalCertificateAuthority.CA_KEY,
      LocalCertificateAuthority.ROOT_CERT);

  private CaDirectory() {}

  /** The CA files, required or optional, that exist in {@code dir}. */
  static List<String> caFilesIn(Path dir) {
    return List.of(LocalCertificateAuthority.CA_CERT, LocalCertificateAuthority.CA_KEY,
            LocalCertificateAuthority.ROOT_CERT, LocalCertificateAuthority.CERT_CHAIN)
        .stream()
        .filter(name -> Files.exists(dir.resolve(name)))
        .toList();
  }

  /** Whether {@code dir} has none of the files a CA needs, so there is nothing to load. */
  static boolean lacksCa(Path dir) {
    return REQUIRED_FILES.stream().noneMatch(name -> Files.exists(dir.resolve(name)));
  }
}
