package dev.weft.http.netty;

import static dev.weft.http.netty.TestMesh.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request and stream checks the policy itself, so nothing slips through between a policy
 * change and the listener that closes connections. An {@link EmbeddedChannel} runs what that
 * listener schedules only when the test says, which holds the closing back.
 */
class PolicyGateTest {
  @TempDir Path folder;
  private TestMesh mesh;
  private Mesh httpbin;
  private final TestApp app = new TestApp();
  private EmbeddedChannel server;

  @BeforeEach
  void start() throws Exception {
    mesh = new TestMesh(folder).mode(MtlsMode.PERMISSIVE);
    httpbin = mesh.startHttpbin();
    server = new EmbeddedChannel(WeftNetty.serverInitializer(httpbin, TestMesh.PORT, app));
  }

  @AfterEach
  void stop() {
    server.finishAndReleaseAll();
    httpbin.close();
  }

  @Test
  void aConnectionThatSaysNothingIsClosedAfterFifteenSeconds() {
    server.advanceTimeBy(14, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();
    assertThat(server.isOpen()).isTrue();

    server.advanceTimeBy(1, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();

    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aConnectionDecidedOnOutlivesTheDecisionTimeout() {
    server.writeInbound(ascii("GET / HTTP/1.1\r\nHost: httpbin\r\nx-request-id: early\r\n\r\n"));

    server.advanceTimeBy(1, TimeUnit.MINUTES);
    server.runScheduledPendingTasks();

    assertThat(server.isOpen()).isTrue();
    assertThat(app.received).containsExactly("early");
  }

  @Test
  void anHttp1RequestReadAfterAFlipToStrictNeverReachesTheApplication() throws Exception {
    server.writeInbound(ascii("GET / HTTP/1.1\r\nHost: httpbin\r\nx-request-id: before\r\n\r\n"));
    assertThat(readAll(server)).startsWith("HTTP/1.1 200 OK");

    flipToStrict();
    server.writeInbound(ascii("GET / HTTP/1.1\r\nHost: httpbin\r\nx-request-id: after\r\n\r\n"));

    assertThat(app.received).containsExactly("before");
    assertThat(readAll(server)).isEmpty();
    server.runPendingTasks();
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void anHttp2StreamOpenedAfterAFlipToStrictIsRefusedAndTheConnectionGoesAway()
      throws Exception {
    List<Object> frames = new ArrayList<>();
    Http2ChannelDuplexHandler streams = new Http2ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object frame) {
        frames.add(frame);
      }
    };
    EmbeddedChannel client =
        new EmbeddedChannel(Http2FrameCodecBuilder.forClient().build(), streams);
    try {
      request(client, streams, "before");
      assertThat(frames).anySatisfy(frame -> assertThat(frame).isInstanceOfSatisfying(
          Http2HeadersFrame.class, headers -> assertThat(headers.headers().status())
              .hasToString("200")));

      flipToStrict();
      request(client, streams, "after");

      assertThat(app.received).containsExactly("before");
      assertThat(frames).anySatisfy(frame -> assertThat(frame).isInstanceOfSatisfying(
          Http2ResetFrame.class, reset -> assertThat(reset.errorCode())
              .isEqualTo(Http2Error.REFUSED_STREAM.code())));
      assertThat(frames).anySatisfy(frame -> assertThat(frame)
          .isInstanceOf(Http2GoAwayFrame.class));
    } finally {
      frames.forEach(ReferenceCountUtil::release);
      client.finishAndReleaseAll();
    }
  }

  /** Flips the policy and waits until the mesh's listeners, Weft's first, have run. */
  private void flipToStrict() throws Exception {
    CountDownLatch listenersRan = new CountDownLatch(1);
    httpbin.addListener(listenersRan::countDown);
    mesh.mode(MtlsMode.STRICT);
    assertThat(listenersRan.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  private void request(EmbeddedChannel client, Http2ChannelDuplexHandler streams, String id) {
    client.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
        .method("GET").path("/").scheme("http").authority("httpbin").add("x-request-id", id),
        true).stream(streams.newStream()));
    // Bounded: a handful of round trips settles the preface, settings, request and answer.
    for (int i = 0; i < 5; i++) {
      pass(client, server);
      pass(server, client);
    }
  }

  /** Passes what {@code from} wrote to {@code to} in one read, as one TCP segment would. */
  private static void pass(EmbeddedChannel from, EmbeddedChannel to) {
    CompositeByteBuf written = Unpooled.compositeBuffer();
    for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
      written.addComponent(true, bytes);
    }
    if (written.isReadable() && to.isOpen()) {
      to.writeInbound(written);
    } else {
      written.release();
    }
  }

  private static String readAll(EmbeddedChannel channel) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf bytes = channel.readOutbound(); bytes != null; bytes = channel.readOutbound()) {
      out.append(bytes.toString(StandardCharsets.US_ASCII));
      bytes.release();
    }
    return out.toString();
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }
}
