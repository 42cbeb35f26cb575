package dev.weft.controlplane.cli;

import dev.weft.controlplane.explain.MatrixPredictor;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code status} or {@code identity}. */
public final class ShowConverter implements ITypeConverter<MatrixPredictor.Show> {
  @Override
  public MatrixPredictor.Show convert(String value) {
    try {
      return MatrixPredictor.Show.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("\"" + value + "\" is not status or identity");
    }
  }
}
