package dev.weft.samples.topology;

import dev.weft.samples.greeter.GreeterClient;
import dev.weft.samples.micronaut.MicronautSample;
import dev.weft.samples.micronaut.SleepCalls;
import dev.weft.samples.sleep.SleepClient;
import dev.weft.samples.sleep.SleepClient.Result;
import java.net.InetSocketAddress;
import java.util.Map;

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

  /**
   * sleep as a Micronaut application; a call to {@code host:port} goes to {@code routes}' address
   * for it when there is one (as kube-proxy would for a legacy client), else to the mesh host.
   */
  static MatrixClient micronaut(MicronautSample sleep, Map<String, InetSocketAddress> routes,
      String failure) {
    SleepCalls calls = sleep.sleepCalls();
    return new MatrixClient() {
      @Override
      public Result call(String host, int port) {
        return calls.call(url(host, port, "/ip"), failure);
      }

      @Override
      public Result identity(String host, int port) {
        return calls.identity(url(host, port, "/headers"), failure);
      }

      private String url(String host, int port, String path) {
        InetSocketAddress address = routes.get(host + ":" + port);
        return address == null ? "http://" + host + ":" + port + path
            : "http://" + address.getHostString() + ":" + address.getPort() + path;
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
