package dev.weft.controlplane.explain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Istio scenario observed on a real cluster and shipped with Weft: the resources in force,
 * the topology, and the request matrix the clients saw.
 *
 * @param name for example {@code 04-strict-vs-dr-disable}
 * @param arguments the topology and compatibility, as {@code weft matrix} arguments
 * @param config the Istio resources in force, as YAML; empty for none
 * @param expected the matrix lines the clients saw
 * @param expectedIdentity the caller identities the servers saw, for some scenarios
 */
public record Scenario(String name, List<String> arguments, Optional<String> config,
    List<String> expected, Optional<List<String>> expectedIdentity) {
  private static final String ROOT = "/dev/weft/controlplane/scenarios/";

  public Scenario {
    Objects.requireNonNull(name, "name");
    arguments = List.copyOf(arguments);
    Objects.requireNonNull(config, "config");
    expected = List.copyOf(expected);
    Objects.requireNonNull(expectedIdentity, "expectedIdentity");
  }

  /** Every shipped scenario, in order. */
  public static List<Scenario> all() {
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : read("index.txt").orElseThrow().strip().split("\n")) {
      scenarios.add(named(name.strip()));
    }
    return scenarios;
  }

  /** The shipped scenario {@code name}. */
  public static Scenario named(String name) {
    String args = read(name + "/args").orElseThrow(() -> new IllegalArgumentException(
        "no scenario " + name + "; known: " + read("index.txt").orElseThrow().strip()
            .replace('\n', ' ')));
    return new Scenario(name, List.of(args.strip().split("\\s+")), read(name + "/config.yaml"),
        read(name + "/expected.txt").orElseThrow().strip().lines().toList(),
        read(name + "/expected-identity.txt").map(text -> text.strip().lines().toList()));
  }

  private static Optional<String> read(String path) {
    try (InputStream in = Scenario.class.getResourceAsStream(ROOT + path)) {
      return in == null ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario resource " + path, e);
    }
  }
}
