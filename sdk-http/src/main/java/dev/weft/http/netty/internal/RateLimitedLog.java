package dev.weft.http.netty.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Logs at INFO at most once per interval and at DEBUG otherwise, so a caller that keeps being
 * refused cannot flood the log, and the INFO line says how many went by at DEBUG.
 */
final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong lastInfo;
  private final LongAdder suppressed = new LongAdder();

  RateLimitedLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.lastInfo = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  void log(String message) {
    long now = System.nanoTime();
    long last = lastInfo.get();
    if (now - last >= intervalNanos && lastInfo.compareAndSet(last, now)) {
      long more = suppressed.sumThenReset();
      log.info(more == 0 ? message : message + " (and " + more + " more since the last report)");
    } else {
      suppressed.increment();
      log.debug(message);
    }
  }
}
