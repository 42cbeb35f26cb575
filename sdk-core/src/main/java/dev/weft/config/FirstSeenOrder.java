package dev.weft.config;

import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceMeta;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers when, and in what order, each resource was first seen, so that a resource keeps its
 * place in creation order however often its file is reloaded. Not thread-safe.
 */
final class FirstSeenOrder {
  private record FirstSeen(Instant instant, long sequence) {}

  private final Map<ResourceId, FirstSeen> seen = new HashMap<>();
  private long nextSequence;
  private Instant latest = Instant.MIN;

  /**
   * The metadata of resource {@code id}, read from {@code source} at {@code now}: created at
   * {@code creationTimestamp} if given, else when first seen. A clock that steps back never
   * makes a resource seen later count as created earlier.
   */
  ResourceMeta meta(
      ResourceId id, Optional<Instant> creationTimestamp, String source, Instant now) {
    if (now.isAfter(latest)) {
      latest = now;
    }
    FirstSeen first = seen.computeIfAbsent(id, k -> new FirstSeen(latest, nextSequence++));
    return new ResourceMeta(id, creationTimestamp.orElse(first.instant),
        creationTimestamp.isPresent(), first.sequence, source);
  }
}
