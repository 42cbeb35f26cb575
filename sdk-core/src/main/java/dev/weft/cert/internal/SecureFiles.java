package dev.weft.cert.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes key and certificate files so that no reader ever sees a half-written file. */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_READ =
      PosixFilePermissions.fromString("rw-r--r--");

  private SecureFiles() {}

  /** Writes a private key: mode 0600 from the first byte, then renamed into place. */
  public static void writeSecret(Path file, String content) throws IOException {
    write(file, content, OWNER_ONLY);
  }

  /** Writes a certificate or other public file, mode 0644, renamed into place. */
  public static void writePublic(Path file, String content) throws IOException {
    write(file, content, PUBLIC_READ);
  }

  private static void write(Path file, String content, Set<PosixFilePermission> mode)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = createTemp(dir, file.getFileName().toString(), mode);
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path createTemp(Path dir, String name, Set<PosixFilePermission> mode)
      throws IOException {
    try {
      return Files.createTempFile(
          dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(mode));
    } catch (UnsupportedOperationException e) {
      Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
      if (mode == OWNER_ONLY) {
        ownerOnlyWithoutPosix(temp);
      }
      return temp;
    }
  }

  private static void ownerOnlyWithoutPosix(Path file) throws IOException {
    java.io.File f = file.toFile();
    boolean ok = f.setReadable(false, false) && f.setReadable(true, true)
        && f.setWritable(false, false) && f.setWritable(true, true);
    if (!ok) {
      throw new IOException("cannot restrict " + file + " to its owner");
    }
  }

  /** Creates a directory readable only by its owner (0700), or checks an existing one. */
  public static Path createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + " exists and is not a directory", e);
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
    return dir;
  }
}
