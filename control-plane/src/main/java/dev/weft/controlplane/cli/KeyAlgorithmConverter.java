package dev.weft.controlplane.cli;

import dev.weft.cert.KeyAlgorithm;
import java.util.ArrayList;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a key algorithm by its command-line name: {@code ecdsa-p256} or {@code rsa-2048}. */
public final class KeyAlgorithmConverter implements ITypeConverter<KeyAlgorithm> {

  @Override
  public KeyAlgorithm convert(String value) {
    for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
      if (nameOf(algorithm).equalsIgnoreCase(value.trim())) {
        return algorithm;
      }
    }
    throw new TypeConversionException(
        "'" + value + "' is not a key algorithm; use one of " + new Names());
  }

  /** The command-line name of {@code algorithm}, for example {@code ecdsa-p256}. */
  public static String nameOf(KeyAlgorithm algorithm) {
    return algorithm.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The names, for help text and shell completion. */
  public static final class Names extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    /** All key algorithm names. */
    public Names() {
      for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
        add(nameOf(algorithm));
      }
    }
  }
}
