package dev.weft.xds.internal;

import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads SAN matchers, which Weft honours only as exact, case-sensitive values. */
final class ExactMatchers {
  private ExactMatchers() {}

  /** The exact values of {@code matchers}. */
  static List<String> values(List<StringMatcher> matchers, FieldPath at)
      throws InvalidResourceException {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < matchers.size(); i++) {
      StringMatcher matcher = matchers.get(i);
      if (matcher.getMatchPatternCase() != StringMatcher.MatchPatternCase.EXACT) {
        throw at.index(i).invalid("is a " + Protos.oneofField(matcher, "match_pattern")
            + " matcher; Weft matches subject alternative names exactly");
      }
      if (matcher.getIgnoreCase()) {
        throw at.index(i).field("ignore_case")
            .invalid("is true; Weft matches subject alternative names exactly");
      }
      values.add(matcher.getExact());
    }
    return values;
  }

  /** The exact values of {@code matchers}, each a SPIFFE ID. */
  static Set<SpiffeId> spiffeIds(List<StringMatcher> matchers, FieldPath at)
      throws InvalidResourceException {
    List<String> values = values(matchers, at);
    Set<SpiffeId> ids = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      try {
        ids.add(SpiffeId.parse(values.get(i)));
      } catch (InvalidSpiffeIdException e) {
        throw at.index(i).field("exact").invalid("mesh mTLS expects SPIFFE IDs: "
            + e.getMessage());
      }
    }
    return ids;
  }
}
