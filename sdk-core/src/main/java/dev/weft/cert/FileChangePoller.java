package dev.weft.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the content of a set of files changed since it last looked. It compares a hash of
 * the content, not modification times: a Kubernetes secret volume swaps a {@code ..data} symlink
 * to a new directory, which leaves the times seen through the links unreliable.
 */
final class FileChangePoller {
  private static final Logger log = LoggerFactory.getLogger(FileChangePoller.class);

  private final List<Path> files;
  private final Duration interval;
  private final Runnable onChange;
  private byte[] lastDigest;
  private String lastProblem;

  /** Takes the files' current content as the baseline; unreadable files leave none. */
  FileChangePoller(List<Path> files, Duration interval, Runnable onChange) {
    this.files = List.copyOf(files);
    this.interval = Objects.requireNonNull(interval, "interval");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    try {
      this.lastDigest = digest();
    } catch (IOException e) {
      this.lastDigest = null;
    }
  }

  /**
   * Reads the files and calls back if their content differs from the last read. Never throws:
   * it runs on a scheduler, where an exception would end the polling.
   */
  void poll() {
    try {
      byte[] digest = digest();
      lastProblem = null;
      if (!MessageDigest.isEqual(digest, lastDigest)) {
        lastDigest = digest;
        log.debug("the content of {} changed", files);
        onChange.run();
      }
    } catch (IOException | RuntimeException e) {
      String problem = e.toString();
      // A file stays missing for a while during some rewrites; say so once, not every poll.
      if (!problem.equals(lastProblem)) {
        log.warn("cannot check {} for changes, retrying every {}: {}", files, interval, problem);
        lastProblem = problem;
      }
    }
  }

  private byte[] digest() throws IOException {
    MessageDigest sha256 = sha256();
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      // Each length goes in first so that bytes moving from one file to the next still count.
      sha256.update((content.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha256.update(content);
    }
    return sha256.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
