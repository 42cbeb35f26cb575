package dev.weft.config.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The configuration files of a directory, each with a hash of its content. */
final class ConfigFiles {

  /**
   * One configuration file as scanned.
   *
   * @param name the file name
   * @param path where to read it
   * @param hash the SHA-256 of its content, or a description of why it could not be read
   */
  record Version(String name, Path path, String hash) {}

  private ConfigFiles() {}

  /**
   * Whether {@code name} names a configuration file: {@code *.yaml} or {@code *.yml}, not a
   * dot-file. The rule {@code ConfigLoader} applies to a directory.
   */
  static boolean isConfigFile(String name) {
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /**
   * The regular files (or symbolic links to them) directly in {@code directory} that are
   * configuration files, in name order. A file deleted while scanning is left out.
   */
  static List<Version> scan(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> entries = Files.list(directory)) {
      files = entries
          .filter(path -> isConfigFile(path.getFileName().toString()))
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(path -> path.getFileName().toString()))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Version> versions = new ArrayList<>(files.size());
    for (Path file : files) {
      String hash;
      try {
        hash = sha256(Files.readAllBytes(file));
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        // Loading it will report why; a stable hash keeps it from being reloaded every scan.
        hash = "unreadable: " + e;
      }
      versions.add(new Version(file.getFileName().toString(), file, hash));
    }
    return versions;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
