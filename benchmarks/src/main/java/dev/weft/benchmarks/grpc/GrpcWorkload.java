package dev.weft.benchmarks.grpc;

import dev.weft.benchmarks.ClosedLoop;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;

/** What each caller of the gRPC benchmark repeats: one call of the echo, measured whole. */
enum GrpcWorkload {
  /** A blocking unary call of 1 KB. */
  UNARY("unary, 1 KB", 1) {
    @Override
    ClosedLoop.Call call(Channel channel) {
      return () -> ClientCalls.blockingUnaryCall(channel, Echo.UNARY, CallOptions.DEFAULT,
          PAYLOAD).length == PAYLOAD.length;
    }
  },
  /** A request of 1 KB, answered by a stream of {@link Echo#STREAM_MESSAGES} of 1 KB. */
  SERVER_STREAMING("server streaming, 1 KB request, " + Echo.STREAM_MESSAGES
      + " answers of 1 KB per call", Echo.STREAM_MESSAGES) {
    @Override
    ClosedLoop.Call call(Channel channel) {
      return () -> StreamingEcho.call(channel, PAYLOAD);
    }
  };

  private static final byte[] PAYLOAD = new byte[1024];

  private final String label;
  private final int answers;

  GrpcWorkload(String label, int answers) {
    this.label = label;
    this.answers = answers;
  }

  String label() {
    return label;
  }

  /** The messages that answer one call. */
  int answers() {
    return answers;
  }

  /** One call on {@code channel}; true when it was answered whole. */
  abstract ClosedLoop.Call call(Channel channel);
}
