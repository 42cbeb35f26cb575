package dev.weft.samples.topology;

import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.mesh.Mesh;
import dev.weft.samples.greeter.GreeterClient;
import dev.weft.samples.greeter.GreeterServer;
import dev.weft.samples.httpbin.HttpbinServer;
import dev.weft.samples.micronaut.MicronautSample;
import dev.weft.samples.sleep.SleepClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** What the topology's servers and clients speak, and how each is started. */
public enum Protocol {
  /** httpbin (Netty) and sleep (OkHttp). */
  HTTP {
    @Override
    Server legacyHttpbin(InetSocketAddress any) throws InterruptedException {
      HttpbinServer server = HttpbinServer.legacy(any);
      return new Server(server, server.port());
    }

    @Override
    AutoCloseable weftHttpbin(Workloads workloads, String namespace, InetSocketAddress address)
        throws IOException, InterruptedException {
      return HttpbinServer.withWeft(joinHttpbin(workloads, namespace, address),
          StandardTopology.CONTAINER_PORT, address);
    }

    @Override
    MatrixClient weftSleep(Workloads workloads, String namespace)
        throws IOException, InterruptedException {
      return MatrixClient.http(SleepClient.withWeft(joinSleep(workloads, namespace)));
    }

    @Override
    MatrixClient legacySleep(Map<String, InetSocketAddress> routes) {
      return MatrixClient.http(SleepClient.legacy(routes));
    }
  },
  /** The greeter: grpc-java server and client. */
  GRPC {
    @Override
    Server legacyHttpbin(InetSocketAddress any) throws IOException {
      GreeterServer server = GreeterServer.legacy(any);
      return new Server(server, server.port());
    }

    @Override
    AutoCloseable weftHttpbin(Workloads workloads, String namespace, InetSocketAddress address)
        throws IOException {
      return GreeterServer.withWeft(joinHttpbin(workloads, namespace, address),
          StandardTopology.CONTAINER_PORT, address);
    }

    @Override
    MatrixClient weftSleep(Workloads workloads, String namespace)
        throws IOException, InterruptedException {
      return MatrixClient.grpc(GreeterClient.withWeft(joinSleep(workloads, namespace)));
    }

    @Override
    MatrixClient legacySleep(Map<String, InetSocketAddress> routes) {
      return MatrixClient.grpc(GreeterClient.legacy(routes));
    }
  },
  /** httpbin and sleep as Micronaut applications: Netty server, Micronaut HttpClient. */
  MICRONAUT {
    @Override
    Server legacyHttpbin(InetSocketAddress any) {
      MicronautSample server = MicronautSample.httpbin(any, Map.of());
      return new Server(server, server.port());
    }

    @Override
    AutoCloseable weftHttpbin(Workloads workloads, String namespace, InetSocketAddress address)
        throws IOException {
      Map<String, Object> weft = new HashMap<>(workloads.weftProperties(namespace, "httpbin"));
      weft.put("weft.container-port", StandardTopology.CONTAINER_PORT);
      return MicronautSample.httpbin(address, MicronautSample.configurationOnly(weft));
    }

    @Override
    MatrixClient weftSleep(Workloads workloads, String namespace)
        throws IOException, InterruptedException {
      MicronautSample sleep = MicronautSample.sleep(
          MicronautSample.configurationOnly(workloads.weftProperties(namespace, "sleep")));
      workloads.awaitRoutes(sleep.mesh().orElseThrow());
      return MatrixClient.micronaut(sleep, Map.of(), SleepClient.MESH_FAILURE);
    }

    @Override
    MatrixClient legacySleep(Map<String, InetSocketAddress> routes) {
      return MatrixClient.micronaut(MicronautSample.sleep(Map.of()), routes,
          SleepClient.LEGACY_FAILURE);
    }
  };

  /** A started server and the port it listens on. */
  record Server(AutoCloseable application, int port) {}

  /** httpbin with no Weft code, listening on {@code any}. */
  abstract Server legacyHttpbin(InetSocketAddress any) throws IOException, InterruptedException;

  /** httpbin with Weft in {@code namespace}, container port 80 listening on {@code address}. */
  abstract AutoCloseable weftHttpbin(Workloads workloads, String namespace,
      InetSocketAddress address) throws IOException, InterruptedException;

  /** sleep with Weft in {@code namespace}, once it knows its routes. */
  abstract MatrixClient weftSleep(Workloads workloads, String namespace)
      throws IOException, InterruptedException;

  /** sleep with no Weft code; a call to a {@code host:port} of {@code routes} goes to its address. */
  abstract MatrixClient legacySleep(Map<String, InetSocketAddress> routes);

  private static Mesh joinHttpbin(Workloads workloads, String namespace,
      InetSocketAddress address) throws IOException {
    return workloads.join(namespace, "httpbin",
        builder -> builder.servePort(StandardTopology.CONTAINER_PORT, address));
  }

  private static Mesh joinSleep(Workloads workloads, String namespace)
      throws IOException, InterruptedException {
    Mesh mesh = workloads.join(namespace, "sleep", builder -> { });
    workloads.awaitRoutes(mesh);
    return mesh;
  }
}
