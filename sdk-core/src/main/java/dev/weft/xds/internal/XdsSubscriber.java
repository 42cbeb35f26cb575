package dev.weft.xds.internal;

import java.util.Set;

/** Asks a source of xDS resources for exactly {@code names} of a type. */
@FunctionalInterface
public interface XdsSubscriber {
  /** Subscribes to exactly {@code names} of {@code typeUrl}. */
  void subscribe(String typeUrl, Set<String> names);
}
