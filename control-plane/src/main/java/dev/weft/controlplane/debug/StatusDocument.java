package dev.weft.controlplane.debug;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.weft.config.ConfigProblem;
import dev.weft.config.internal.ConfigState;
import dev.weft.controlplane.xds.SyncStatus;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.WorkloadInbound;
import dev.weft.policy.WorkloadPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The JSON the debug endpoint serves and {@code weft status} reads. */
final class StatusDocument {
  private StatusDocument() {}

  /**
   * Every workload with, per type, what was sent, acknowledged and rejected; and for one that
   * authored policy of its own, that policy and what its inbound ports accept under
   * {@code policy}.
   */
  static JsonArray sync(SyncStatus status, ResolvedPolicy policy) {
    JsonArray workloads = new JsonArray();
    for (SyncStatus.Workload workload : status.workloads()) {
      JsonObject json = new JsonObject();
      json.addProperty("id", workload.node().id());
      json.addProperty("namespace", workload.node().namespace());
      json.addProperty("name", workload.node().name());
      json.addProperty("cluster", workload.node().clusterId());
      json.addProperty("weft", workload.node().weftVersion().orElse(""));
      json.addProperty("streams", workload.streams());
      json.addProperty("connectedAt", workload.connectedAt().toString());
      workload.disconnectedAt().ifPresent(at -> json.addProperty("disconnectedAt", at.toString()));
      JsonObject types = new JsonObject();
      workload.types().forEach((type, typeStatus) -> types.add(type, type(typeStatus)));
      json.add("types", types);
      WorkloadPolicy authored = workload.node().authoredPolicy();
      if (!authored.isEmpty()) {
        JsonArray lines = new JsonArray();
        authored.describe().forEach(lines::add);
        json.add("authored", lines);
        json.add("inbound", inbound(policy.inbound(workload.node().workload())));
      }
      workloads.add(json);
    }
    return workloads;
  }

  /** The workload-wide decision (no {@code port}), then each port-level one. */
  private static JsonArray inbound(WorkloadInbound inbound) {
    JsonArray decisions = new JsonArray();
    decisions.add(decision(null, inbound.workloadWide()));
    for (int port : inbound.overriddenPorts()) {
      decisions.add(decision(port, inbound.decision(port)));
    }
    return decisions;
  }

  private static JsonObject decision(Integer port, InboundDecision decision) {
    JsonObject json = new JsonObject();
    if (port != null) {
      json.addProperty("port", port);
    }
    json.addProperty("mode", decision.mode().name());
    JsonArray because = new JsonArray();
    decision.because().forEach(reason -> because.add(reason.toString()));
    json.add("because", because);
    return json;
  }

  private static JsonObject type(SyncStatus.TypeStatus status) {
    JsonObject json = new JsonObject();
    JsonArray names = new JsonArray();
    status.names().forEach(names::add);
    json.add("names", names);
    json.addProperty("sent", status.sentVersion());
    json.addProperty("sentAt", status.sentAt().toString());
    put(json, "acked", status.ackedVersion());
    put(json, "ackedAt", status.ackedAt().map(Instant::toString));
    put(json, "nacked", status.nackedVersion());
    put(json, "nackReason", status.nackReason());
    put(json, "nackedAt", status.nackedAt().map(Instant::toString));
    return json;
  }

  /** The configuration files, which are in force since when, and the problems standing. */
  static JsonObject config(Optional<ConfigState> state, List<String> policyWarnings) {
    JsonObject json = new JsonObject();
    JsonArray files = new JsonArray();
    JsonArray errors = new JsonArray();
    JsonArray warnings = new JsonArray();
    state.ifPresent(s -> {
      json.addProperty("generation", s.generation());
      s.files().forEach((name, file) -> {
        JsonObject f = new JsonObject();
        f.addProperty("file", name);
        put(f, "inForceSince", file.inForceSince().map(Instant::toString));
        JsonArray fileErrors = new JsonArray();
        file.errors().forEach(problem -> fileErrors.add(problem.toString()));
        f.add("errors", fileErrors);
        files.add(f);
      });
      s.errors().stream().map(ConfigProblem::toString).forEach(errors::add);
      s.warnings().stream().map(ConfigProblem::toString).forEach(warnings::add);
    });
    policyWarnings.forEach(warnings::add);
    json.add("files", files);
    json.add("errors", errors);
    json.add("warnings", warnings);
    return json;
  }

  private static void put(JsonObject json, String key, Optional<String> value) {
    value.ifPresent(v -> json.addProperty(key, v));
  }
}
