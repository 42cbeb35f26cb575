package dev.weft.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fields an object of the schema may have: those Weft reads, and those Istio or Kubernetes
 * define that Weft does not model, which are accepted and ignored. Ignoring some of them could
 * change security behaviour; those carry the reason, which becomes a warning.
 */
record Fields(List<String> read, List<String> ignored, Map<String, String> ignoredWithWarning) {

  Fields {
    read = List.copyOf(read);
    ignored = List.copyOf(ignored);
    ignoredWithWarning = Map.copyOf(ignoredWithWarning);
  }

  /** An object whose only fields are {@code names}, all read. */
  static Fields of(String... names) {
    return new Fields(List.of(names), List.of(), Map.of());
  }

  /** These fields, plus {@code names} accepted and ignored silently. */
  Fields ignoring(String... names) {
    return new Fields(read, Stream.concat(ignored.stream(), Stream.of(names)).toList(),
        ignoredWithWarning);
  }

  /** These fields, plus {@code name} accepted and ignored with a warning saying {@code why}. */
  Fields ignoringWithWarning(String name, String why) {
    Map<String, String> warned = new LinkedHashMap<>(ignoredWithWarning);
    warned.put(name, why);
    return new Fields(read, ignored, warned);
  }

  /** Whether {@code name} is a field of the object, read or ignored. */
  boolean contains(String name) {
    return read.contains(name) || ignored.contains(name) || ignoredWithWarning.containsKey(name);
  }

  /** Every field name, for messages about unknown ones. */
  List<String> all() {
    return Stream.of(read.stream(), ignored.stream(), ignoredWithWarning.keySet().stream().sorted())
        .flatMap(s -> s)
        .toList();
  }
}
