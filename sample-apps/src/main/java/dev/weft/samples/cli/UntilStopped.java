package dev.weft.samples.cli;

import dev.weft.mesh.Mesh;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** Keeps a sample server running until the process is stopped, then closes it and its mesh. */
final class UntilStopped {
  private UntilStopped() {}

  static void serve(PrintWriter out, String name, AutoCloseable server, Optional<Mesh> mesh)
      throws InterruptedException {
    out.println("Press Ctrl-C to stop.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(UntilStopped.class).warn("{} did not close cleanly", name, e);
      }
      mesh.ifPresent(Mesh::close);
      stopped.countDown();
    }, "weft-" + name + "-shutdown"));
    stopped.await();
  }
}
