package dev.weft.controlplane.cli;

import dev.weft.policy.Compatibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code latest} or {@code 1.9}. */
public final class CompatibilityConverter implements ITypeConverter<Compatibility> {
  @Override
  public Compatibility convert(String value) {
    try {
      return Compatibility.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
