package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import java.util.Set;

/** Checks on protobuf messages shared by the readers of each resource type. */
final class Protos {
  private Protos() {}

  /** The type URL of messages of {@code type}, as {@link Any} carries it. */
  static String typeUrl(Message type) {
    return "type.googleapis.com/" + type.getDescriptorForType().getFullName();
  }

  /**
   * Rejects the first field of {@code message} that is set but not {@code supported}, and any
   * field this build of the Envoy API does not know: what Weft does not read, it must not
   * silently drop.
   */
  static void only(Message message, FieldPath at, String... supported)
      throws InvalidResourceException {
    Set<String> allowed = Set.of(supported);
    for (FieldDescriptor field : message.getAllFields().keySet()) {
      if (!allowed.contains(field.getName())) {
        throw at.field(field.getName()).invalid("is set, and Weft does not support it here;"
            + " it will not ignore it");
      }
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      int number = message.getUnknownFields().asMap().keySet().iterator().next();
      throw at.field("#" + number).invalid("is a field Weft does not know; it will not ignore it");
    }
  }

  /** The name of the field set in oneof {@code oneof} of {@code message}; empty if none is. */
  static String oneofField(Message message, String oneof) {
    OneofDescriptor descriptor = message.getDescriptorForType().getOneofs().stream()
        .filter(o -> o.getName().equals(oneof)).findFirst().orElseThrow();
    FieldDescriptor set = message.getOneofFieldDescriptor(descriptor);
    return set == null ? "" : set.getName();
  }

  /**
   * A resource of a response, parsed without keeping the result in {@code any}: {@link
   * Any#unpack} would, and a cached resource would then be held twice, as bytes and parsed.
   */
  static <T extends Message> T parse(Any any, Class<T> type) throws InvalidProtocolBufferException {
    if (!any.is(type)) {
      throw new InvalidProtocolBufferException("is " + any.getTypeUrl() + ", not "
          + type.getSimpleName());
    }
    return type.cast(Internal.getDefaultInstance(type).getParserForType().parseFrom(any.getValue()));
  }

  /** {@code any} as a {@code type}, or the rejection saying what it is instead. */
  static <T extends Message> T unpack(Any any, Class<T> type, FieldPath at)
      throws InvalidResourceException {
    if (!any.is(type)) {
      throw at.invalid("is " + (any.getTypeUrl().isEmpty() ? "empty" : any.getTypeUrl())
          + ", not " + type.getSimpleName());
    }
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw at.invalid("is not a valid " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The TLS context of a TLS transport socket. */
  static <T extends Message> T tlsContext(TransportSocket socket, Class<T> type, FieldPath at)
      throws InvalidResourceException {
    if (!socket.getName().equals(XdsNames.TLS_TRANSPORT_SOCKET)) {
      throw at.field("name").invalid("is \"" + socket.getName() + "\"; Weft knows only "
          + XdsNames.TLS_TRANSPORT_SOCKET);
    }
    return unpack(socket.getTypedConfig(), type, at.field("typed_config"));
  }

  /** Rejects a config source other than the ADS stream the resource came on. */
  static void requireAds(ConfigSource source, FieldPath at) throws InvalidResourceException {
    if (!source.hasAds() && !source.hasSelf()) {
      throw at.invalid("is " + describe(oneofField(source, "config_source_specifier"))
          + "; Weft fetches every resource on its one ADS stream (ads or self)");
    }
  }

  private static String describe(String field) {
    return field.isEmpty() ? "empty" : field;
  }
}
