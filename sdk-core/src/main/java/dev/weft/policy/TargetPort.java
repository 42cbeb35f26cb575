package dev.weft.policy;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** A Service port's {@code targetPort}: a container port number, or the name of one. */
public record TargetPort(int number, String name) {

  public TargetPort {
    Objects.requireNonNull(name, "name");
    if ((number == 0) == name.isEmpty()) {
      throw new IllegalArgumentException("a target port is a number or a name, not both or neither");
    }
  }

  /** A container port number. */
  public static TargetPort number(int number) {
    return new TargetPort(number, "");
  }

  /** A container port name, resolved per workload. */
  public static TargetPort named(String name) {
    return new TargetPort(0, name);
  }

  /** The container port on a workload with {@code namedPorts}; empty if it has no such name. */
  public OptionalInt resolve(Map<String, Integer> namedPorts) {
    if (number != 0) {
      return OptionalInt.of(number);
    }
    Integer port = namedPorts.get(name);
    return port == null ? OptionalInt.empty() : OptionalInt.of(port);
  }

  @Override
  public String toString() {
    return number != 0 ? Integer.toString(number) : name;
  }
}
