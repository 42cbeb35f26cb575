package dev.weft.samples.cli;

import dev.weft.samples.topology.Protocol;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code http}, {@code grpc} or {@code micronaut}. */
final class ProtocolConverter implements ITypeConverter<Protocol> {
  @Override
  public Protocol convert(String value) {
    try {
      return Protocol.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is not a protocol; say http, grpc or micronaut");
    }
  }
}
