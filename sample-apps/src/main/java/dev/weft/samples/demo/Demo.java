package dev.weft.samples.demo;

import dev.weft.config.ConfigLoadResult;
import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.explain.ExplanationText;
import dev.weft.controlplane.explain.MatrixPredictor;
import dev.weft.controlplane.explain.MatrixPredictor.Show;
import dev.weft.controlplane.explain.Prediction;
import dev.weft.controlplane.explain.RequestPredictor;
import dev.weft.controlplane.explain.Scenario;
import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.samples.sleep.SleepClient;
import dev.weft.samples.topology.RunningTopology;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The demo: the standard topology running in this process, taken through Istio's mTLS story a
 * configuration at a time, applied live. Each step prints the matrix every sleep saw, with the
 * identity each httpbin saw, and beside every failure the client's error and
 * {@code weft explain}'s reasons; then whether it matches the prediction and what Istio did.
 */
public final class Demo {
  private static final int WIDTH = 100;
  private static final StandardTopology TOPOLOGY =
      new StandardTopology(List.of("foo", "bar", "legacy"), Set.of("foo", "bar"));

  private final PrintWriter out;
  private final Consumer<String> progress;
  private int differences;

  /**
   * @param out where the story goes
   * @param progress told what starts and stops, a line at a time
   */
  public Demo(PrintWriter out, Consumer<String> progress) {
    this.out = out;
    this.progress = progress;
  }

  /** Runs every step; returns how many matrices differed from the prediction or Istio. */
  public int run() throws Exception {
    List<DemoStep> steps = DemoStep.all();
    intro();
    Configuration previous = Configuration.of(Scenario.named(steps.get(0).scenario()));
    try (RunningTopology running = RunningTopology.start(TOPOLOGY, previous.resources(),
        previous.compatibility(), progress)) {
      for (int i = 0; i < steps.size(); i++) {
        DemoStep step = steps.get(i);
        Scenario scenario = Scenario.named(step.scenario());
        Configuration next = Configuration.of(scenario);
        out.println();
        out.println("Step " + (i + 1) + " of " + steps.size() + ": " + step.title());
        wrap(step.story()).forEach(line -> out.println("  " + line));
        out.println("  In force (scenario " + scenario.name() + ", auto mTLS by "
            + ConfigurationChange.rules(next.compatibility()) + "):");
        ConfigurationChange.lines(i == 0 ? MeshResources.EMPTY : previous.resources(),
            previous.compatibility(), next.resources(), next.compatibility())
            .forEach(line -> out.println("    " + line));
        if (i > 0) {
          Instant start = Instant.now();
          running.apply(next.resources(), next.compatibility());
          out.println("  Applied live; every mesh workload acknowledged it in "
              + Duration.between(start, Instant.now()).toMillis() + " ms.");
        }
        out.println();
        matrix(running, scenario, next);
        out.flush();
        previous = next;
      }
    }
    out.println();
    out.println(differences == 0
        ? "Every matrix matched weft explain's prediction, and where the scenario was observed on"
            + " these namespaces, what Istio did."
        : differences + " matrices differed; see above.");
    out.flush();
    return differences;
  }

  private void intro() {
    out.println("Weft demo: Istio's mutual TLS rules, in one process, with no sidecar.");
    wrap("In namespaces foo and bar, httpbin (a Netty server) and sleep (an OkHttp client) run"
        + " with Weft; in legacy they run with no Weft code at all. Weft's own control plane"
        + " serves them istiod-shaped xDS and certificates. Each step puts a configuration in"
        + " force without restarting anything, waits until every mesh workload acknowledged"
        + " it, and has every sleep call http://httpbin.<namespace>:8000. A cell shows the"
        + " status sleep got and how httpbin saw the caller: 503 is what a mesh client reports"
        + " when no response came, 000 what curl prints when its connection failed.")
        .forEach(line -> out.println("  " + line));
    out.flush();
  }

  private void matrix(RunningTopology running, Scenario scenario, Configuration config) {
    ResolvedPolicy policy = PolicyResolver.resolve(
        TOPOLOGY.withServices(config.resources(), config.compatibility()), TOPOLOGY.workloads());
    RequestPredictor predictor = new RequestPredictor(policy);
    Map<String, Map<String, String>> cells = new LinkedHashMap<>();
    List<List<String>> notes = new ArrayList<>();
    List<String> observed = new ArrayList<>();
    for (String from : TOPOLOGY.namespaces()) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String to : TOPOLOGY.namespaces()) {
        SleepClient.Result status = running.call(from, to, Show.STATUS);
        observed.add("sleep." + from + " to httpbin." + to + ": " + status.value());
        if (status.value().equals("200")) {
          row.put(to, "200 " + seen(running.call(from, to, Show.IDENTITY).value()));
        } else {
          notes.add(note(from, to, status, predictor.predict(TOPOLOGY.sleep(from),
              "httpbin." + to, StandardTopology.SERVICE_PORT)));
          row.put(to, status.value() + " [" + notes.size() + "]");
        }
      }
      cells.put(from, row);
    }
    MatrixTable.render(TOPOLOGY.namespaces(), cells, notes).forEach(out::println);
    compare(observed, new MatrixPredictor(TOPOLOGY, policy).lines(Show.STATUS), scenario);
  }

  /** How httpbin saw the caller: {@code mTLS as foo/sleep}, or {@code plaintext}. */
  private static String seen(String identity) {
    String prefix = "/ns/";
    int at = identity.indexOf(prefix);
    if (!identity.startsWith("spiffe://") || at < 0) {
      return identity;
    }
    return "mTLS as " + identity.substring(at + prefix.length()).replace("/sa/", "/");
  }

  private static List<String> note(String from, String to, SleepClient.Result result,
      List<Prediction> predictions) {
    List<String> note = new ArrayList<>();
    note.add("sleep." + from + " -> httpbin." + to + ": " + result.value() + ", no response");
    result.failure().ifPresent(why -> note.add(
        (TOPOLOGY.mesh().contains(from) ? "Weft's client: " : "the plain client: ") + why));
    List<String> explanation = ExplanationText.lines(predictions);
    note.add("weft explain: " + predictions.get(0).outcome().reason());
    explanation.stream().skip(1).filter(line -> !line.startsWith("  =>"))
        .forEach(line -> note.add("  " + line.strip()));
    return note;
  }

  private void compare(List<String> observed, List<String> predicted, Scenario scenario) {
    if (!observed.equals(predicted)) {
      differences++;
      out.println("  DIFFERS from weft explain's prediction:");
      predicted.forEach(line -> out.println("    predicted " + line));
      return;
    }
    boolean sameTopology = scenario.arguments().containsAll(List.of(
        "--namespaces", String.join(",", TOPOLOGY.namespaces())));
    if (sameTopology && !observed.equals(scenario.expected())) {
      differences++;
      out.println("  DIFFERS from what Istio did on a real cluster:");
      scenario.expected().forEach(line -> out.println("    Istio: " + line));
      return;
    }
    out.println("  Matches weft explain's prediction" + (sameTopology
        ? " and what Istio did on a real cluster." : "."));
  }

  private static List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH - 2) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** A scenario's resources and auto-mTLS rules. */
  private record Configuration(MeshResources resources, Compatibility compatibility) {
    static Configuration of(Scenario scenario) {
      ConfigLoadResult loaded = new ConfigLoader().load(scenario.config().orElse(""),
          scenario.name() + "/config.yaml");
      if (loaded.hasErrors()) {
        throw new IllegalStateException("the shipped scenario " + scenario.name()
            + " does not load: " + loaded.errors());
      }
      int at = scenario.arguments().indexOf("--compat");
      Compatibility compatibility = at >= 0
          ? Compatibility.parse(scenario.arguments().get(at + 1))
          : loaded.resources().meshConfig().compatibility();
      return new Configuration(loaded.resources(), compatibility);
    }
  }
}
