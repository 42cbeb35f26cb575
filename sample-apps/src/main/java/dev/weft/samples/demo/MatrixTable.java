package dev.weft.samples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A matrix as a table: a row per sleep, a column per httpbin, a cell per call; cells that failed
 * point to a note below the table.
 */
final class MatrixTable {
  private static final String INDENT = "  ";
  private static final String GAP = "   ";

  private MatrixTable() {}

  /**
   * The table's lines followed by its notes.
   *
   * @param cells {@code cells.get(from).get(to)}, in namespace order
   * @param notes each note's lines, in the order cells refer to them as [1], [2], ...
   */
  static List<String> render(List<String> namespaces, Map<String, Map<String, String>> cells,
      List<List<String>> notes) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    header.add("");
    namespaces.forEach(to -> header.add("httpbin." + to));
    rows.add(header);
    for (String from : namespaces) {
      List<String> row = new ArrayList<>();
      row.add("sleep." + from);
      namespaces.forEach(to -> row.add(cells.get(from).get(to)));
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder(INDENT);
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + widths[i] + "s", row.get(i)));
        if (i < row.size() - 1) {
          line.append(GAP);
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    for (int i = 0; i < notes.size(); i++) {
      List<String> note = notes.get(i);
      String mark = "[" + (i + 1) + "] ";
      lines.add(INDENT + mark + note.get(0));
      note.subList(1, note.size())
          .forEach(more -> lines.add(INDENT + " ".repeat(mark.length()) + more));
    }
    return lines;
  }
}
