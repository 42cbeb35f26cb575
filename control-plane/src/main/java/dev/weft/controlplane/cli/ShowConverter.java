package dev.weft.controlplane.cli;

import dev.weft.controlplane.explain.MatrixPredictor;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code status} (or {@code code}, its other name) or {@code identity}. */
public final class ShowConverter implements ITypeConverter<MatrixPredictor.Show> {
  @Override
  public MatrixPredictor.Show convert(String value) {
    String name = value.toUpperCase(Locale.ROOT);
    if (name.equals("CODE")) {
      return MatrixPredictor.Show.STATUS;
    }
    try {
      return MatrixPredictor.Show.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("\"" + value + "\" is not status (code) or identity");
    }
  }
}
