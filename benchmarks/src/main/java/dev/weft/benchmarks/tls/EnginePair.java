package dev.weft.benchmarks.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client and a server engine handshaking in memory, on one thread: the CPU of a full handshake
 * on both sides, with no network in the way.
 */
final class EnginePair {
  private static final int BUFFER = 1 << 17;

  private final ByteBuffer clientToServer = ByteBuffer.allocate(BUFFER);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(BUFFER);
  private final ByteBuffer clientApp = ByteBuffer.allocate(BUFFER);
  private final ByteBuffer serverApp = ByteBuffer.allocate(BUFFER);
  private final ByteBuffer empty = ByteBuffer.allocate(0);

  private long handshakes;

  /**
   * One full handshake between new engines of {@code client} and {@code server}. Each names
   * another peer host, so the client has no session to resume.
   */
  void handshake(SslContext client, SslContext server) throws SSLException {
    SSLEngine clientEngine = client.newEngine(ByteBufAllocator.DEFAULT,
        "peer-" + (handshakes++) + ".test", 443);
    SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
    try {
      clientToServer.clear();
      serverToClient.clear();
      clientEngine.beginHandshake();
      serverEngine.beginHandshake();
      for (int step = 0; step < 100; step++) {
        boolean clientDone = step(clientEngine, clientToServer, serverToClient, clientApp);
        boolean serverDone = step(serverEngine, serverToClient, clientToServer, serverApp);
        if (clientDone && serverDone) {
          return;
        }
      }
      throw new SSLException("the handshake did not finish in 100 steps");
    } finally {
      ReferenceCountUtil.release(clientEngine);
      ReferenceCountUtil.release(serverEngine);
    }
  }

  /** Wraps what the engine has to send, unwraps what it received; true once it is done. */
  private boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app)
      throws SSLException {
    SSLEngineResult wrapped = engine.wrap(empty, out);
    runTasks(engine, wrapped.getHandshakeStatus());
    in.flip();
    while (in.hasRemaining()) {
      app.clear();
      SSLEngineResult unwrapped = engine.unwrap(in, app);
      runTasks(engine, unwrapped.getHandshakeStatus());
      if (unwrapped.getStatus() != SSLEngineResult.Status.OK || unwrapped.bytesConsumed() == 0) {
        break;
      }
    }
    in.compact();
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  private static void runTasks(SSLEngine engine, HandshakeStatus status) {
    if (status == HandshakeStatus.NEED_TASK) {
      for (Runnable task = engine.getDelegatedTask(); task != null;
          task = engine.getDelegatedTask()) {
        task.run();
      }
    }
  }
}
