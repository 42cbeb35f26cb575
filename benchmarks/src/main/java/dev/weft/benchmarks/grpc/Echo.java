package dev.weft.benchmarks.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

/**
 * An echo of raw bytes, the same service on every server the gRPC benchmark compares: unary
 * (the request back), and server streaming (the request back {@link #STREAM_MESSAGES} times).
 */
final class Echo {
  static final int STREAM_MESSAGES = 100;

  static final MethodDescriptor<byte[], byte[]> UNARY = method(
      MethodDescriptor.MethodType.UNARY, "Unary");
  static final MethodDescriptor<byte[], byte[]> STREAM = method(
      MethodDescriptor.MethodType.SERVER_STREAMING, "Stream");

  private Echo() {}

  static ServerServiceDefinition service() {
    return ServerServiceDefinition.builder("weft.bench.Echo")
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(request);
          response.onCompleted();
        }))
        .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, response) -> {
          for (int i = 0; i < STREAM_MESSAGES; i++) {
            response.onNext(request);
          }
          response.onCompleted();
        }))
        .build();
  }

  private static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type,
      String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName("weft.bench.Echo/" + name)
        .setRequestMarshaller(new BytesMarshaller())
        .setResponseMarshaller(new BytesMarshaller())
        .build();
  }
}
