package dev.weft.xds.internal;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.Map;

/** What Weft can tell about a route without a request in hand. */
final class Routes {
  private Routes() {}

  /** Whether {@code match} selects every request: prefix {@code /} or empty, nothing else. */
  static boolean matchesEveryRequest(RouteMatch match) {
    boolean root = match.getPathSpecifierCase() == RouteMatch.PathSpecifierCase.PREFIX
        && (match.getPrefix().isEmpty() || match.getPrefix().equals("/"));
    return root && match.toBuilder().clearPathSpecifier().clearCaseSensitive().build()
        .equals(RouteMatch.getDefaultInstance());
  }

  /** Rejects per-route filter settings, such as a VirtualService fault, which Weft cannot apply. */
  static void rejectFilterOverrides(Map<String, Any> overrides, FieldPath at)
      throws InvalidResourceException {
    if (!overrides.isEmpty()) {
      String filter = overrides.keySet().iterator().next();
      throw at.field("typed_per_filter_config").invalid("sets " + filter + " for these routes;"
          + " Weft applies no per-route filter settings");
    }
  }
}
