package dev.weft.xds.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads values from a resource's filter metadata, such as Weft's {@code because}. */
final class FilterMetadata {
  private FilterMetadata() {}

  /** The reasons in Weft's metadata ({@code weft.because}); empty when there are none. */
  static List<String> because(Metadata metadata, FieldPath at) throws InvalidResourceException {
    return reasons(metadata, "because", at);
  }

  /** The list of reasons {@code key} of Weft's metadata; empty when there is none. */
  static List<String> reasons(Metadata metadata, String key, FieldPath at)
      throws InvalidResourceException {
    Optional<Value> value = value(metadata, XdsNames.WEFT_METADATA, key);
    if (value.isEmpty()) {
      return List.of();
    }
    FieldPath because = path(at, XdsNames.WEFT_METADATA, key);
    if (value.get().getKindCase() != Value.KindCase.LIST_VALUE) {
      throw because.invalid("is not a list of reasons");
    }
    List<String> reasons = new ArrayList<>();
    List<Value> values = value.get().getListValue().getValuesList();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).getKindCase() != Value.KindCase.STRING_VALUE) {
        throw because.index(i).invalid("is not a string");
      }
      reasons.add(values.get(i).getStringValue());
    }
    return reasons;
  }

  /** The string {@code key} of the filter metadata {@code filter}; empty when it is absent. */
  static Optional<String> string(Metadata metadata, String filter, String key, FieldPath at)
      throws InvalidResourceException {
    Optional<Value> value = value(metadata, filter, key);
    if (value.isPresent() && value.get().getKindCase() != Value.KindCase.STRING_VALUE) {
      throw path(at, filter, key).invalid("is not a string");
    }
    return value.map(Value::getStringValue);
  }

  private static Optional<Value> value(Metadata metadata, String filter, String key) {
    Struct struct = metadata.getFilterMetadataMap().get(filter);
    return struct == null ? Optional.empty() : Optional.ofNullable(struct.getFieldsMap().get(key));
  }

  private static FieldPath path(FieldPath at, String filter, String key) {
    return at.field("metadata").field("filter_metadata").field(filter).field(key);
  }
}
