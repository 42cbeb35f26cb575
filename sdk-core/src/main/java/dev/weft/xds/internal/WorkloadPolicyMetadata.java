package dev.weft.xds.internal;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.policy.ClientTls;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.TlsMode;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.policy.WorkloadPolicy.AuthoredDestinationRule;
import dev.weft.policy.WorkloadPolicy.AuthoredPeerAuthentication;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The policy a workload authored, as its node metadata carries it under
 * {@code WEFT_WORKLOAD_POLICY}: a Struct, absent when the workload authored nothing.
 *
 * <pre>
 * {version: 1,
 *  peerAuthentication: {origin, mode, portLevelMtls: {"&lt;container port&gt;": mode}},
 *  destinationRules: [{origin, host, tls: {mode, clientCertificate, privateKey,
 *                      caCertificates, subjectAltNames: [...], sni}}],
 *  requireMutualTls: {origin}}
 * </pre>
 *
 * <p>Reading fails closed. A value that is malformed, of another version, or has a field this
 * version does not know (a newer workload may mean something stricter by it) is an error
 * naming the field; the control plane then refuses the workload's stream, so its ports get no
 * policy and refuse every connection instead of running weaker than the workload asked.
 */
final class WorkloadPolicyMetadata {
  /** The version of this encoding; a change that older readers would misread raises it. */
  static final int VERSION = 1;

  private static final Set<String> POLICY_FIELDS =
      Set.of("version", "peerAuthentication", "destinationRules", "requireMutualTls");
  private static final Set<String> PA_FIELDS = Set.of("origin", "mode", "portLevelMtls");
  private static final Set<String> DR_FIELDS = Set.of("origin", "host", "tls");
  private static final Set<String> TLS_FIELDS = Set.of("mode", "clientCertificate",
      "privateKey", "caCertificates", "subjectAltNames", "sni");
  private static final Set<String> FLOOR_FIELDS = Set.of("origin");

  private WorkloadPolicyMetadata() {}

  /** {@code policy} as a Struct value. */
  static Value write(WorkloadPolicy policy) {
    Struct.Builder struct = Struct.newBuilder().putFields("version", number(VERSION));
    policy.peerAuthentication().ifPresent(pa -> {
      Struct.Builder ports = Struct.newBuilder();
      new TreeMap<>(pa.portLevelMtls()).forEach((port, mode) ->
          ports.putFields(Integer.toString(port), string(mode.name())));
      struct.putFields("peerAuthentication", struct(Struct.newBuilder()
          .putFields("origin", string(pa.origin()))
          .putFields("mode", string(pa.mode().name()))
          .putFields("portLevelMtls", struct(ports))));
    });
    if (!policy.destinationRules().isEmpty()) {
      ListValue.Builder rules = ListValue.newBuilder();
      for (AuthoredDestinationRule rule : policy.destinationRules()) {
        rules.addValues(struct(Struct.newBuilder()
            .putFields("origin", string(rule.origin()))
            .putFields("host", string(rule.host()))
            .putFields("tls", struct(tls(rule.tls())))));
      }
      struct.putFields("destinationRules", Value.newBuilder().setListValue(rules).build());
    }
    policy.mutualTlsRequiredBy().ifPresent(origin -> struct.putFields("requireMutualTls",
        struct(Struct.newBuilder().putFields("origin", string(origin)))));
    return struct(struct);
  }

  /**
   * The policy {@code value} encodes.
   *
   * @throws IllegalArgumentException naming the field that is malformed or unknown
   */
  static WorkloadPolicy read(Value value) {
    Field root = new Field(NodeMetadata.WEFT_WORKLOAD_POLICY, value);
    Map<String, Field> fields = root.struct(POLICY_FIELDS);
    Field version = required(fields, root, "version");
    if (version.value.getKindCase() != Value.KindCase.NUMBER_VALUE
        || version.value.getNumberValue() != VERSION) {
      throw version.invalid("is " + show(version.value) + "; this Weft reads version " + VERSION
          + " only, so it refuses the policy rather than apply part of it");
    }
    Optional<AuthoredPeerAuthentication> pa =
        Optional.ofNullable(fields.get("peerAuthentication")).map(WorkloadPolicyMetadata::pa);
    List<AuthoredDestinationRule> rules = new ArrayList<>();
    Field list = fields.get("destinationRules");
    if (list != null) {
      list.list().forEach(entry -> rules.add(rule(entry)));
    }
    Optional<String> floor = Optional.ofNullable(fields.get("requireMutualTls"))
        .map(f -> required(f.struct(FLOOR_FIELDS), f, "origin").string());
    return root.build(() -> new WorkloadPolicy(pa, rules, floor));
  }

  private static AuthoredPeerAuthentication pa(Field field) {
    Map<String, Field> fields = field.struct(PA_FIELDS);
    String origin = required(fields, field, "origin").string();
    MtlsMode mode = required(fields, field, "mode").oneOf(MtlsMode.class);
    Map<Integer, MtlsMode> ports = new LinkedHashMap<>();
    Field portLevel = fields.get("portLevelMtls");
    if (portLevel != null) {
      portLevel.struct(null).forEach((key, portMode) -> {
        int port;
        try {
          port = Integer.parseInt(key);
        } catch (NumberFormatException e) {
          throw portMode.invalid("is not keyed by a port number");
        }
        ports.put(port, portMode.oneOf(MtlsMode.class));
      });
    }
    return field.build(() -> new AuthoredPeerAuthentication(mode, ports, origin));
  }

  private static AuthoredDestinationRule rule(Field field) {
    Map<String, Field> fields = field.struct(DR_FIELDS);
    String origin = required(fields, field, "origin").string();
    String host = required(fields, field, "host").string();
    Field tlsField = required(fields, field, "tls");
    Map<String, Field> tls = tlsField.struct(TLS_FIELDS);
    TlsMode mode = required(tls, tlsField, "mode").oneOf(TlsMode.class);
    List<String> sans = new ArrayList<>();
    Optional.ofNullable(tls.get("subjectAltNames"))
        .ifPresent(list -> list.list().forEach(san -> sans.add(san.string())));
    ClientTls clientTls = new ClientTls(mode, text(tls, "clientCertificate"),
        text(tls, "privateKey"), text(tls, "caCertificates"), Optional.empty(), sans,
        text(tls, "sni"), false);
    return field.build(() -> new AuthoredDestinationRule(host, clientTls, origin));
  }

  private static Struct.Builder tls(ClientTls tls) {
    Struct.Builder struct = Struct.newBuilder().putFields("mode", string(tls.mode().name()));
    tls.clientCertificate().ifPresent(f -> struct.putFields("clientCertificate", string(f)));
    tls.privateKey().ifPresent(f -> struct.putFields("privateKey", string(f)));
    tls.caCertificates().ifPresent(f -> struct.putFields("caCertificates", string(f)));
    if (!tls.subjectAltNames().isEmpty()) {
      ListValue.Builder sans = ListValue.newBuilder();
      tls.subjectAltNames().forEach(san -> sans.addValues(string(san)));
      struct.putFields("subjectAltNames", Value.newBuilder().setListValue(sans).build());
    }
    tls.sni().ifPresent(sni -> struct.putFields("sni", string(sni)));
    return struct;
  }

  private static Optional<String> text(Map<String, Field> fields, String key) {
    return Optional.ofNullable(fields.get(key)).map(Field::string).filter(s -> !s.isEmpty());
  }

  private static Field required(Map<String, Field> fields, Field parent, String key) {
    Field field = fields.get(key);
    if (field == null) {
      throw parent.invalid("has no " + key);
    }
    return field;
  }

  private static String show(Value value) {
    return switch (value.getKindCase()) {
      case NUMBER_VALUE -> value.getNumberValue() == Math.rint(value.getNumberValue())
          ? Long.toString((long) value.getNumberValue()) : Double.toString(value.getNumberValue());
      case STRING_VALUE -> "\"" + value.getStringValue() + "\"";
      default -> "a " + value.getKindCase().name().toLowerCase().replace("_value", "");
    };
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value number(int n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value struct(Struct.Builder struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }

  /** A value and where it is: {@code WEFT_WORKLOAD_POLICY.destinationRules[0].tls.mode}. */
  private record Field(String path, Value value) {

    IllegalArgumentException invalid(String problem) {
      return new IllegalArgumentException("node metadata " + path + " " + problem);
    }

    /** The fields of a struct; any not in {@code known} (unless null) is an error. */
    Map<String, Field> struct(Set<String> known) {
      if (value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
        throw invalid("is not a struct but " + show(value));
      }
      Map<String, Field> fields = new TreeMap<>();
      value.getStructValue().getFieldsMap().forEach((key, v) -> {
        Field field = new Field(path + "." + key, v);
        if (known != null && !known.contains(key)) {
          throw field.invalid("is not known to this Weft, which refuses the policy rather than"
              + " ignore part of it");
        }
        fields.put(key, field);
      });
      return fields;
    }

    List<Field> list() {
      if (value.getKindCase() != Value.KindCase.LIST_VALUE) {
        throw invalid("is not a list but " + show(value));
      }
      List<Field> items = new ArrayList<>();
      List<Value> values = value.getListValue().getValuesList();
      for (int i = 0; i < values.size(); i++) {
        items.add(new Field(path + "[" + i + "]", values.get(i)));
      }
      return items;
    }

    String string() {
      if (value.getKindCase() != Value.KindCase.STRING_VALUE) {
        throw invalid("is not a string but " + show(value));
      }
      return value.getStringValue();
    }

    <E extends Enum<E>> E oneOf(Class<E> type) {
      String name = string();
      try {
        return Enum.valueOf(type, name);
      } catch (IllegalArgumentException e) {
        throw invalid("is \"" + name + "\"; valid values are "
            + Arrays.toString(type.getEnumConstants()));
      }
    }

    /** Builds a model value, naming this field in the error if its rules refuse it. */
    <T> T build(Supplier<T> model) {
      try {
        return model.get();
      } catch (IllegalArgumentException e) {
        throw invalid("is refused: " + e.getMessage());
      }
    }
  }
}
