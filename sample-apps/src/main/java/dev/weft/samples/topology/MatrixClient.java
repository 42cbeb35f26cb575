package dev.weft.samples.topology;

import dev.weft.samples.greeter.GreeterClient;
import dev.weft.samples.sleep.SleepClient;
import dev.weft.samples.sleep.SleepClient.Result;

/** A client workload of the topology, over HTTP (sleep) or gRPC (the greeter client). */
interface MatrixClient extends AutoCloseable {
  /** The result code of a call to {@code host:port}. */
  Result call(String host, int port);

  /** The identity the server at {@code host:port} saw this client as. */
  Result identity(String host, int port);

  static MatrixClient http(SleepClient sleep) {
    return new MatrixClient() {
      @Override
      public Result call(String host, int port) {
        return sleep.call("http://" + host + ":" + port + "/ip");
      }

      @Override
      public Result identity(String host, int port) {
        return sleep.identity("http://" + host + ":" + port + "/headers");
      }

      @Override
      public void close() {
        sleep.close();
      }
    };
  }

  static MatrixClient grpc(GreeterClient greeter) {
    return new MatrixClient() {
      @Override
      public Result call(String host, int port) {
        return greeter.call(host, port);
      }

      @Override
      public Result identity(String host, int port) {
        return greeter.identity(host, port);
      }

      @Override
      public void close() throws InterruptedException {
        greeter.close();
      }
    };
  }
}
