package dev.weft.config;

import dev.weft.policy.ClientTls;
import dev.weft.policy.TlsMode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads a DestinationRule {@code tls} block. */
final class ClientTlsParser {
  static final Fields FIELDS = Fields.of("mode", "clientCertificate", "privateKey",
          "caCertificates", "credentialName", "subjectAltNames", "sni", "insecureSkipVerify")
      .ignoringWithWarning("caCrl", "Weft does not check certificate revocation lists yet;"
          + " this list is ignored and a revoked server certificate would be accepted");
  private static final List<String> MODES =
      Stream.of(TlsMode.values()).map(TlsMode::name).toList();

  private ClientTlsParser() {}

  /** The settings in {@code value}, checked by {@link ClientTlsRules}. */
  static Optional<ClientTls> parse(YamlValue value) {
    return value.asMap().map(map -> {
      map.checkFields(FIELDS);
      TlsMode mode = map.get("mode")
          .flatMap(v -> v.asOneOf(MODES, "TLS mode"))
          .map(TlsMode::valueOf)
          .orElse(TlsMode.DISABLE);
      ClientTls tls = new ClientTls(mode,
          text(map, "clientCertificate"), text(map, "privateKey"), text(map, "caCertificates"),
          text(map, "credentialName"),
          map.get("subjectAltNames").flatMap(YamlValue::asStringList).orElse(List.of()),
          text(map, "sni"),
          map.get("insecureSkipVerify").flatMap(YamlValue::asBool).orElse(false));
      ClientTlsRules.check(tls, map);
      return tls;
    });
  }

  /** A string field; empty text counts as unset, as in protobuf. */
  private static Optional<String> text(YamlMap map, String field) {
    return map.get(field).flatMap(YamlValue::asString).filter(s -> !s.isEmpty());
  }
}
