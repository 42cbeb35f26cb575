package dev.weft.benchmarks.grpc;

import dev.weft.grpc.WeftGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Who a server saw calling: {@code weft.bench.Caller/Identity} answers with the SPIFFE ID the
 * caller proved in its TLS session, or {@link #NONE}. Asked once per mode, it shows that a row
 * runs the TLS its label says; it sits beside the echo, so the measured calls do not pay for it.
 */
final class CallerIdentity {
  static final String NONE = "none";

  private static final MethodDescriptor<byte[], byte[]> IDENTITY =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("weft.bench.Caller/Identity")
          .setRequestMarshaller(new BytesMarshaller())
          .setResponseMarshaller(new BytesMarshaller())
          .build();

  private CallerIdentity() {}

  static ServerServiceDefinition service() {
    return ServerInterceptors.intercept(ServerServiceDefinition.builder("weft.bench.Caller")
        .addMethod(IDENTITY, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(WeftGrpc.peerIdentity().spiffeId().map(Object::toString).orElse(NONE)
              .getBytes(StandardCharsets.UTF_8));
          response.onCompleted();
        }))
        .build(), WeftGrpc.peerIdentityInterceptor());
  }

  /** The caller the server behind {@code channel} saw, waiting up to {@code wait} for it. */
  static String seenBy(Channel channel, Duration wait) {
    return new String(ClientCalls.blockingUnaryCall(channel, IDENTITY, CallOptions.DEFAULT
        .withWaitForReady().withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS),
        new byte[0]), StandardCharsets.UTF_8);
  }
}
