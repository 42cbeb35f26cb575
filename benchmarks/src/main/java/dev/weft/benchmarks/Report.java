package dev.weft.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What a benchmark run prints: progress on stderr; tables of the median and spread over the
 * repetitions on stdout; then one line per headline ratio, exactly {@code RATIO <name> <value>}.
 */
public final class Report {
  private final PrintStream out;
  private final PrintStream err;
  private final List<String> ratios = new ArrayList<>();

  public Report(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public void progress(String line) {
    err.println(line);
  }

  /** A table with a title and column headings. */
  public Table table(String title, String... columns) {
    return new Table(title, columns);
  }

  /** A headline ratio: the median of {@code values}, with what it compares. */
  public void ratio(String name, List<Double> values, String what) {
    double median = median(values);
    out.printf(Locale.ROOT, "%s: %.3f (%s; %s)%n", name, median, spread(values), what);
    ratios.add(String.format(Locale.ROOT, "RATIO %s %.3f", name, median));
  }

  /** Prints the headline ratios, last. */
  public void printRatios() {
    out.println();
    ratios.forEach(out::println);
  }

  /**
   * {@code metric} of each of {@code ours} over that of {@code theirs} from the same repetition:
   * interleaved runs drift together, so only such pairs compare.
   */
  public static <T> List<Double> pairedRatios(List<T> ours, List<T> theirs,
      ToDoubleFunction<T> metric) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      ratios.add(metric.applyAsDouble(ours.get(i)) / metric.applyAsDouble(theirs.get(i)));
    }
    return ratios;
  }

  /** {@code median (min–max)} of {@code metric} over {@code runs}. */
  public static <T> String spread(Collection<T> runs, ToDoubleFunction<T> metric) {
    return spread(runs.stream().map(metric::applyAsDouble).toList());
  }

  static String spread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return format(median(values)) + " (" + format(min) + "–" + format(max) + ")";
  }

  /** The median of {@code values}; NaN for none. */
  public static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double value) {
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.3f", value);
  }

  /** A table printed with aligned columns. */
  public final class Table {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String title, String[] columns) {
      this.title = title;
      rows.add(columns);
    }

    public Table row(String... cells) {
      rows.add(cells);
      return this;
    }

    public void print() {
      int[] widths = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      out.println();
      out.println(title);
      for (int r = 0; r < rows.size(); r++) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < widths.length; i++) {
          String cell = rows.get(r)[i];
          line.append(i == 0 ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append("  ");
        }
        out.println(line.toString().stripTrailing());
      }
    }

    private String pad(String s, int width) {
      return s + " ".repeat(width - s.length());
    }

    private String padLeft(String s, int width) {
      return " ".repeat(width - s.length()) + s;
    }
  }
}
