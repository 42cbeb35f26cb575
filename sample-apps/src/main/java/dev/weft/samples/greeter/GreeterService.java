package dev.weft.samples.greeter;

import com.google.protobuf.StringValue;
import dev.weft.grpc.WeftGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** The greeter's handlers; the caller's identity comes from {@link WeftGrpc#peerIdentity()}. */
final class GreeterService implements BindableService {
  static final int GREETINGS_PER_STREAM = 3;

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(Greeter.SERVICE)
        .addMethod(Greeter.SAY_HELLO, ServerCalls.asyncUnaryCall(this::sayHello))
        .addMethod(Greeter.SAY_HELLO_STREAM,
            ServerCalls.asyncServerStreamingCall(this::sayHelloStream))
        .addMethod(Greeter.WHO_AM_I, ServerCalls.asyncUnaryCall(this::whoAmI))
        .build();
  }

  private void sayHello(StringValue name, StreamObserver<StringValue> response) {
    response.onNext(StringValue.of("Hello, " + name.getValue() + "!"));
    response.onCompleted();
  }

  private void sayHelloStream(StringValue name, StreamObserver<StringValue> response) {
    for (int i = 1; i <= GREETINGS_PER_STREAM; i++) {
      response.onNext(StringValue.of("Hello #" + i + ", " + name.getValue() + "!"));
    }
    response.onCompleted();
  }

  private void whoAmI(StringValue ignored, StreamObserver<StringValue> response) {
    response.onNext(StringValue.of(WeftGrpc.peerIdentity().spiffeId().map(Object::toString)
        .orElse("plaintext")));
    response.onCompleted();
  }
}
