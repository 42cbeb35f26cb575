package dev.weft.benchmarks.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One call of the server-streaming echo: every answer asked for up front, so the transport
 * delivers them as they arrive, not one per request of a blocking iterator; the call is done
 * when its status is.
 */
final class StreamingEcho extends ClientCall.Listener<byte[]> {
  private static final long DEADLINE_SECONDS = 10;

  private final CompletableFuture<Boolean> done = new CompletableFuture<>();
  private final int length;
  private int answers;

  private StreamingEcho(int length) {
    this.length = length;
  }

  /** Whether {@code request} came back {@link Echo#STREAM_MESSAGES} times, whole. */
  static boolean call(Channel channel, byte[] request)
      throws ExecutionException, InterruptedException {
    StreamingEcho listener = new StreamingEcho(request.length);
    // The listener only counts, so it runs on the transport's thread.
    ClientCall<byte[], byte[]> call = channel.newCall(Echo.STREAM, CallOptions.DEFAULT
        .withExecutor(Runnable::run).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
    call.start(listener, new Metadata());
    call.request(Echo.STREAM_MESSAGES);
    call.sendMessage(request);
    call.halfClose();
    return listener.done.get();
  }

  @Override
  public void onMessage(byte[] answer) {
    if (answer.length == length) {
      answers++;
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    done.complete(status.isOk() && answers == Echo.STREAM_MESSAGES);
  }
}
