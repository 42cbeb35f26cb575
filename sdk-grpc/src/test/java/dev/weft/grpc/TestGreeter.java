package dev.weft.grpc;

import com.google.protobuf.StringValue;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

/**
 * A greeter for tests, without generated code: {@code Identity} answers with the caller's
 * SPIFFE ID as {@link WeftGrpc#peerIdentity()} gives it, or {@code plaintext}.
 */
final class TestGreeter implements BindableService {
  static final MethodDescriptor<StringValue, StringValue> IDENTITY =
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("weft.test.Greeter/Identity")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build();

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder("weft.test.Greeter")
        .addMethod(IDENTITY, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(StringValue.of(WeftGrpc.peerIdentity().spiffeId()
              .map(Object::toString).orElse("plaintext")));
          response.onCompleted();
        }))
        .build();
  }
}
