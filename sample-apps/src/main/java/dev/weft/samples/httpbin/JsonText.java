package dev.weft.samples.httpbin;

import java.util.Map;
import java.util.stream.Collectors;

/** Just enough JSON for httpbin's answers: objects whose values are strings or objects. */
final class JsonText {
  private JsonText() {}

  /** {@code values} as a JSON object, pretty-printed as httpbin prints it. */
  static String object(Map<String, ?> values) {
    return object(values, "") + "\n";
  }

  private static String object(Map<String, ?> values, String indent) {
    String inner = indent + "  ";
    return values.entrySet().stream()
        .map(entry -> inner + string(entry.getKey()) + ": " + value(entry.getValue(), inner))
        .collect(Collectors.joining(",\n", "{\n", "\n" + indent + "}"));
  }

  private static String value(Object value, String indent) {
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> object = (Map<String, ?>) map;
      return object(object, indent);
    }
    return string((String) value);
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
