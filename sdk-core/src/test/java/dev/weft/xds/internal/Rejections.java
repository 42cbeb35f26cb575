package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that the interpreter rejects a resource, naming it and the offending field. */
final class Rejections {
  private Rejections() {}

  static void assertRejected(
      ThrowingCallable interpretation, String resource, String field, String reason) {
    assertThatThrownBy(interpretation)
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageStartingWith(resource + ": " + field + ": ")
        .hasMessageContaining(reason);
  }
}
