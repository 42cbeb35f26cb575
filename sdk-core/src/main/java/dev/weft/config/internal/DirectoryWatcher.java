package dev.weft.config.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} on its own thread once a directory's configuration files have been
 * quiet for a while after a change, and after every rescan interval in case a change went
 * unnoticed. {@code onChange} must find out for itself what, if anything, changed.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);
  static final String THREAD_NAME = "weft-config-watch";

  private final Path directory;
  private final long quietNanos;
  private final long rescanNanos;
  private final Runnable onChange;
  private final WatchService watchService;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Watches {@code directory} for changes to its configuration files; {@link #start} starts
   * calling {@code onChange}. Changes from now on are noticed.
   */
  DirectoryWatcher(Path directory, Duration quietPeriod, Duration rescanInterval,
      Runnable onChange) throws IOException {
    this.directory = directory;
    this.quietNanos = quietPeriod.toNanos();
    this.rescanNanos = rescanInterval.toNanos();
    this.onChange = onChange;
    this.watchService = directory.getFileSystem().newWatchService();
    try {
      directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      watchService.close();
      throw e;
    }
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  /** Starts calling {@code onChange}. */
  void start() {
    thread.start();
  }

  /** Stops watching; once it returns, {@code onChange} is not running and will not run. */
  @Override
  public void close() {
    closed = true;
    // Wakes the thread; an interrupt could instead break a file read of a reload under way.
    try {
      watchService.close();
    } catch (IOException e) {
      log.warn("Could not close the watch service of {}: {}", directory, e.toString());
    }
    if (Thread.currentThread() != thread && thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    long quietUntil = 0;
    boolean changed = false;
    long nextRescan = System.nanoTime() + rescanNanos;
    try {
      while (!closed) {
        long now = System.nanoTime();
        long wait = changed ? Math.min(quietUntil - now, nextRescan - now) : nextRescan - now;
        WatchKey key = watchService.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        now = System.nanoTime();
        if (key != null && concernsConfigFiles(key)) {
          changed = true;
          quietUntil = now + quietNanos;
        }
        if (now - nextRescan >= 0) {
          nextRescan = now + rescanNanos;
          if (!changed) {
            changed = true;
            quietUntil = now + quietNanos;
          }
        }
        if (changed && now - quietUntil >= 0) {
          changed = false;
          callOnChange();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: stop.
    }
  }

  /** Whether {@code key}'s events may concern configuration files; resets it. */
  private boolean concernsConfigFiles(WatchKey key) {
    boolean concerns = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      concerns |= event.kind() == OVERFLOW
          || (event.context() instanceof Path name && ConfigFiles.isConfigFile(name.toString()));
    }
    if (!key.reset() && !closed) {
      log.warn("No longer notified of changes in {}; rescanning it every {} ms", directory,
          TimeUnit.NANOSECONDS.toMillis(rescanNanos));
    }
    return concerns;
  }

  private void callOnChange() {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.error("Reloading the configuration in {} failed; still watching", directory, e);
    }
  }
}
