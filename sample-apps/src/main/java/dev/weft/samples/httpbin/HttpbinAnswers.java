package dev.weft.samples.httpbin;

import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** httpbin's answers, the same whichever server framework serves them. */
public final class HttpbinAnswers {
  private HttpbinAnswers() {}

  /** {@code /ip}: the caller's address. */
  public static String ip(String origin) {
    return JsonText.object(Map.of("origin", origin));
  }

  /**
   * {@code /headers}: the request's headers, named as httpbin names them (Title-Case), repeats
   * joined by commas.
   */
  public static String headers(Iterable<Map.Entry<String, String>> headers) {
    Map<String, String> named = new TreeMap<>();
    for (Map.Entry<String, String> header : headers) {
      named.merge(titleCase(header.getKey()), header.getValue(), (a, b) -> a + "," + b);
    }
    return JsonText.object(Map.of("headers", named));
  }

  /** The status {@code /status/<code>} answers; empty when the code is no HTTP status. */
  public static OptionalInt status(String code) {
    try {
      int status = Integer.parseInt(code);
      return status < 200 || status > 599 ? OptionalInt.empty()
          : OptionalInt.of(status);
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static String titleCase(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean startOfWord = true;
    for (char c : name.toCharArray()) {
      out.append(startOfWord ? Character.toUpperCase(c) : Character.toLowerCase(c));
      startOfWord = c == '-';
    }
    return out.toString();
  }
}
