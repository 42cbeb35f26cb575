package dev.weft.samples.sleep;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the identity a server saw from httpbin's {@code /headers} answer: the {@code URI} of the
 * last element of {@code X-Forwarded-Client-Cert}, the one the last proxy (the server's own)
 * added. Header names match in any case; a header's value may be a string or, as some httpbin
 * builds answer, an array of strings.
 */
public final class ForwardedClientCert {
  private static final String HEADER = "X-Forwarded-Client-Cert";

  private ForwardedClientCert() {}

  /** The SPIFFE ID the server saw; empty when it saw none (no XFCC, or no URI in it). */
  public static Optional<String> seenIdentity(String headersJson) {
    return header(headersJson).flatMap(ForwardedClientCert::lastUri);
  }

  /** The {@code URI} of the last element of an XFCC value. */
  static Optional<String> lastUri(String xfcc) {
    List<String> elements = split(xfcc, ',');
    if (elements.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : split(elements.get(elements.size() - 1), ';')) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("URI")) {
        return Optional.of(unquote(pair.substring(equals + 1).trim()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> header(String headersJson) {
    JsonObject headers;
    try {
      JsonElement root = JsonParser.parseString(headersJson);
      headers = root.getAsJsonObject().getAsJsonObject("headers");
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new IllegalArgumentException("not httpbin's /headers JSON: " + headersJson, e);
    }
    if (headers == null) {
      throw new IllegalArgumentException("no \"headers\" in " + headersJson);
    }
    for (Map.Entry<String, JsonElement> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(HEADER)) {
        JsonElement value = header.getValue();
        if (value.isJsonArray()) {
          List<String> values = new ArrayList<>();
          value.getAsJsonArray().forEach(element -> values.add(element.getAsString()));
          return Optional.of(String.join(",", values));
        }
        return Optional.of(value.getAsString());
      }
    }
    return Optional.empty();
  }

  /** Splits on {@code separator} outside double quotes; blank parts are dropped. */
  private static List<String> split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && quoted && i + 1 < value.length()) {
        part.append(c).append(value.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        add(parts, part);
      } else {
        part.append(c);
      }
    }
    add(parts, part);
    return parts;
  }

  private static void add(List<String> parts, StringBuilder part) {
    if (!part.toString().isBlank()) {
      parts.add(part.toString().trim());
    }
    part.setLength(0);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }
}
