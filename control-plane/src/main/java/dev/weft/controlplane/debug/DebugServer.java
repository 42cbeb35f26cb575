package dev.weft.controlplane.debug;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.config.internal.ConfigState;
import dev.weft.controlplane.xds.XdsHub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The control plane's debug endpoint, like istiod's on 15014: {@code /debug/syncz} (what each
 * workload was sent, acknowledged and rejected, and the policy it authored with what its ports
 * accept), {@code /debug/config_dump?proxyID=<node id>}
 * (the resources a workload gets now) and {@code /debug/configz} (the configuration files and
 * the problems standing).
 */
public final class DebugServer implements AutoCloseable {
  private static final JsonFormat.Printer XDS_JSON = JsonFormat.printer()
      .usingTypeRegistry(EnvoyTypes.REGISTRY);

  private final HttpServer server;

  private DebugServer(HttpServer server) {
    this.server = server;
  }

  /** Serves on {@code address} (port 0 picks one) until closed. */
  public static DebugServer start(InetSocketAddress address, XdsHub xds,
      Supplier<Optional<ConfigState>> config) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "weft-debug-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/debug/syncz", exchange ->
        json(exchange, 200, StatusDocument.sync(xds.status(), xds.policy())));
    server.createContext("/debug/configz", exchange ->
        json(exchange, 200, StatusDocument.config(config.get(), xds.policy().warnings())));
    server.createContext("/debug/config_dump", exchange -> configDump(exchange, xds));
    server.start();
    return new DebugServer(server);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void configDump(HttpExchange exchange, XdsHub xds) throws IOException {
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    String nodeId = "";
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("proxyID=")) {
        nodeId = URLDecoder.decode(parameter.substring(8), StandardCharsets.UTF_8);
      }
    }
    Optional<Map<String, Map<String, Message>>> dump = xds.configDump(nodeId);
    if (dump.isEmpty()) {
      JsonObject error = new JsonObject();
      error.addProperty("error", "no workload with node id \"" + nodeId
          + "\"; see /debug/syncz for the ids");
      json(exchange, 404, error);
      return;
    }
    JsonObject json = new JsonObject();
    for (Map.Entry<String, Map<String, Message>> type : dump.get().entrySet()) {
      JsonObject resources = new JsonObject();
      for (Map.Entry<String, Message> resource : type.getValue().entrySet()) {
        try {
          resources.add(resource.getKey(), JsonParser.parseString(
              XDS_JSON.print(resource.getValue())));
        } catch (InvalidProtocolBufferException e) {
          resources.addProperty(resource.getKey(), "cannot print: " + e.getMessage());
        }
      }
      json.add(type.getKey(), resources);
    }
    json(exchange, 200, json);
  }

  private static void json(HttpExchange exchange, int status, JsonElement body)
      throws IOException {
    byte[] bytes = new GsonBuilder().setPrettyPrinting().create().toJson(body)
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
