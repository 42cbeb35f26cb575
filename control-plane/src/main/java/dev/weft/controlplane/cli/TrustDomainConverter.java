package dev.weft.controlplane.cli;

import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.TrustDomain;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a trust domain name; a bad one is a usage error that says what is wrong with it. */
public final class TrustDomainConverter implements ITypeConverter<TrustDomain> {

  @Override
  public TrustDomain convert(String value) {
    try {
      return TrustDomain.parse(value);
    } catch (InvalidSpiffeIdException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
