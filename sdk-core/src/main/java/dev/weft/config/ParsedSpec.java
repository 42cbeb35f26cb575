package dev.weft.config;

import dev.weft.policy.ResourceMeta;

/**
 * A valid spec, waiting for its metadata: the loader gives a resource its creation order only
 * once the whole document is known to be valid.
 */
@FunctionalInterface
interface ParsedSpec {

  /** Adds the resource this spec defines, with {@code meta}, to {@code resources}. */
  void addTo(ResourceSet resources, ResourceMeta meta);
}
