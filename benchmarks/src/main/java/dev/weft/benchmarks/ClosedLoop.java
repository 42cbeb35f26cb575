package dev.weft.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed loop: {@code concurrency} callers each send the next request as soon as the last
 * answered, for a fixed time. Latencies are kept whole (a run is bounded by its time), so the
 * percentiles are exact.
 */
public final class ClosedLoop {
  /** One request and its whole answer; false, or an exception, for a failed one. */
  @FunctionalInterface
  public interface Call {
    boolean call() throws Exception;
  }

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ClosedLoop() {}

  /** Runs {@code call} from {@code concurrency} callers for {@code time}. */
  public static LoadResult run(Call call, int concurrency, Duration time)
      throws InterruptedException {
    ExecutorService callers = Executors.newFixedThreadPool(concurrency);
    try {
      long cpuBefore = OS.getProcessCpuTime();
      long start = System.nanoTime();
      long deadline = start + time.toNanos();
      List<Future<Caller>> futures = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        futures.add(callers.submit(() -> new Caller().run(call, deadline)));
      }
      List<Caller> done = new ArrayList<>();
      for (Future<Caller> future : futures) {
        done.add(future.get());
      }
      long elapsed = System.nanoTime() - start;
      long cpu = OS.getProcessCpuTime() - cpuBefore;
      return summarize(done, elapsed, cpu);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a caller failed: " + e.getCause(), e.getCause());
    } finally {
      callers.shutdownNow();
    }
  }

  private static LoadResult summarize(List<Caller> callers, long elapsedNanos, long cpuNanos) {
    int count = callers.stream().mapToInt(c -> c.count).sum();
    long[] all = new long[count];
    int at = 0;
    long failures = 0;
    for (Caller caller : callers) {
      System.arraycopy(caller.latencies, 0, all, at, caller.count);
      at += caller.count;
      failures += caller.failures;
    }
    Arrays.sort(all);
    double seconds = elapsedNanos / 1e9;
    return new LoadResult(count / seconds, percentile(all, 0.50) / 1e3,
        percentile(all, 0.99) / 1e3, count == 0 ? 0 : cpuNanos / 1e3 / count, failures);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** One caller's latencies, in nanoseconds. */
  private static final class Caller {
    long[] latencies = new long[1 << 14];
    int count;
    long failures;

    Caller run(Call call, long deadline) {
      while (System.nanoTime() < deadline) {
        long start = System.nanoTime();
        boolean answered;
        try {
          answered = call.call();
        } catch (Exception e) {
          answered = false;
        }
        if (answered) {
          record(System.nanoTime() - start);
        } else {
          failures++;
        }
      }
      return this;
    }

    private void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }
  }
}
