package dev.weft.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A named group of a service's endpoints, chosen by labels, with its own traffic policy. */
public record Subset(String name, Map<String, String> labels, Optional<TrafficPolicy> trafficPolicy) {

  public Subset {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
  }
}
