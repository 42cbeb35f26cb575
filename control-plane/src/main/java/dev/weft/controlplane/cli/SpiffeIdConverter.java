package dev.weft.controlplane.cli;

import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a SPIFFE ID; a bad one is a usage error that says what is wrong with it. */
public final class SpiffeIdConverter implements ITypeConverter<SpiffeId> {

  @Override
  public SpiffeId convert(String value) {
    try {
      return SpiffeId.parse(value);
    } catch (InvalidSpiffeIdException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
