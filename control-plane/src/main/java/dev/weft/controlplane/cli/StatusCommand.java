package dev.weft.controlplane.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: what each workload was sent and made of it, like {@code istioctl proxy-status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show, per workload, whether it took the configuration the control plane sent"
        + " (SYNCED), has not answered yet (STALE) or rejected it (NACKED, with its reason), the"
        + " policy a workload authored with what its inbound ports accept, and the"
        + " configuration files with errors.")
public final class StatusCommand implements Callable<Integer> {
  private static final Map<String, String> TYPES = Map.of(
      "type.googleapis.com/envoy.config.listener.v3.Listener", "LDS",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "RDS",
      "type.googleapis.com/envoy.config.cluster.v3.Cluster", "CDS",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "EDS");
  private static final List<String> ORDER = List.of("LDS", "RDS", "CDS", "EDS");

  @Spec private CommandSpec spec;

  @Option(names = "--control-plane", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15014",
      description = "The control plane's debug port (default: ${DEFAULT-VALUE}).")
  private String controlPlane;

  @Override
  public Integer call() throws InterruptedException {
    JsonArray workloads = get("/debug/syncz").getAsJsonArray();
    JsonObject config = get("/debug/configz").getAsJsonObject();
    PrintWriter out = spec.commandLine().getOut();
    List<String> rejections = new ArrayList<>();
    List<String> authored = new ArrayList<>();
    String format = "%-36s %-12s %-8s %-8s %-8s %-8s %-8s%n";
    out.printf(format, "WORKLOAD", "CLUSTER", "WEFT", "LDS", "RDS", "CDS", "EDS");
    for (JsonElement element : workloads) {
      JsonObject workload = element.getAsJsonObject();
      String name = workload.get("name").getAsString() + "." + workload.get("namespace").getAsString()
          + (workload.has("disconnectedAt") ? " (gone)" : "");
      String[] states = {"NOT SENT", "NOT SENT", "NOT SENT", "NOT SENT"};
      for (Map.Entry<String, JsonElement> type : workload.getAsJsonObject("types").entrySet()) {
        String label = TYPES.getOrDefault(type.getKey(), type.getKey());
        JsonObject status = type.getValue().getAsJsonObject();
        String state = state(status);
        if (ORDER.contains(label)) {
          states[ORDER.indexOf(label)] = state;
        }
        if (state.equals("NACKED")) {
          rejections.add(name + " " + label + ": " + status.get("nackReason").getAsString());
        }
      }
      authored.addAll(authored(name, workload));
      String weft = workload.get("weft").getAsString();
      out.printf(format, name, workload.get("cluster").getAsString(), weft.isEmpty() ? "-" : weft,
          states[0], states[1], states[2], states[3]);
    }
    if (workloads.isEmpty()) {
      out.println("(no workload has connected)");
    }
    authored.forEach(out::println);
    rejections.forEach(line -> out.println("rejected: " + line));
    for (JsonElement element : config.getAsJsonArray("files")) {
      JsonObject file = element.getAsJsonObject();
      JsonArray errors = file.getAsJsonArray("errors");
      if (errors.isEmpty()) {
        continue;
      }
      out.println("config error in " + file.get("file").getAsString() + ": " + (file.has(
          "inForceSince") ? "its last good content stays in force (since "
          + file.get("inForceSince").getAsString() + ")" : "nothing of it is in force") + ":");
      errors.forEach(error -> out.println("  " + error.getAsString()));
    }
    for (JsonElement warning : config.getAsJsonArray("warnings")) {
      out.println("config warning: " + warning.getAsString());
    }
    out.flush();
    return rejections.isEmpty() && config.getAsJsonArray("errors").isEmpty() ? 0 : 1;
  }

  /**
   * The policy {@code workload} authored, each line with its origin, and what its inbound ports
   * accept with the deciding reason: where the control plane's policy was weaker than the
   * workload requires, that reason says it was raised.
   */
  private static List<String> authored(String name, JsonObject workload) {
    List<String> lines = new ArrayList<>();
    if (!workload.has("authored")) {
      return lines;
    }
    workload.getAsJsonArray("authored")
        .forEach(line -> lines.add("authored by " + name + ": " + line.getAsString()));
    for (JsonElement element : workload.getAsJsonArray("inbound")) {
      JsonObject decision = element.getAsJsonObject();
      lines.add("inbound of " + name + (decision.has("port")
          ? " port " + decision.get("port").getAsInt() : "") + ": "
          + decision.get("mode").getAsString() + " -- "
          + decision.getAsJsonArray("because").get(0).getAsString());
    }
    return lines;
  }

  private static String state(JsonObject status) {
    String sent = status.get("sent").getAsString();
    if (status.has("nacked") && status.get("nacked").getAsString().equals(sent)) {
      return "NACKED";
    }
    if (status.has("acked") && status.get("acked").getAsString().equals(sent)) {
      return "SYNCED";
    }
    return "STALE";
  }

  private JsonElement get(String path) throws InterruptedException {
    URI uri = URI.create("http://" + controlPlane + path);
    try {
      HttpResponse<String> response = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new CommandFailedException(uri + " answered " + response.statusCode());
      }
      return JsonParser.parseString(response.body());
    } catch (IOException e) {
      throw new CommandFailedException("cannot reach the control plane's debug port at "
          + controlPlane + " (" + e + "); is 'weft control-plane' running, and is this its"
          + " --debug-port?", e);
    }
  }
}
