package dev.weft.samples.greeter;

import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The greeter's gRPC methods, described without generated code: messages are protobuf's
 * {@code StringValue}, so any gRPC client can call them.
 */
public final class Greeter {
  public static final String SERVICE = "weft.samples.Greeter";

  /** {@code SayHello}: a name in, a greeting out. */
  public static final MethodDescriptor<StringValue, StringValue> SAY_HELLO =
      method("SayHello", MethodDescriptor.MethodType.UNARY);
  /** {@code SayHelloStream}: a name in, a stream of greetings out. */
  public static final MethodDescriptor<StringValue, StringValue> SAY_HELLO_STREAM =
      method("SayHelloStream", MethodDescriptor.MethodType.SERVER_STREAMING);
  /** {@code WhoAmI}: the caller's SPIFFE ID as the server saw it, or {@code plaintext}. */
  public static final MethodDescriptor<StringValue, StringValue> WHO_AM_I =
      method("WhoAmI", MethodDescriptor.MethodType.UNARY);

  private Greeter() {}

  private static MethodDescriptor<StringValue, StringValue> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }
}
