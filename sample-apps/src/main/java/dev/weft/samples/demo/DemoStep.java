package dev.weft.samples.demo;

import java.util.List;
import java.util.Objects;

/**
 * One step of the demo: a shipped scenario's configuration, applied live, and what to say
 * about it.
 *
 * @param scenario the name of the shipped scenario whose configuration and compatibility apply
 * @param title one line
 * @param story what this configuration does, and what to look for in the matrix
 */
record DemoStep(String scenario, String title, String story) {
  DemoStep {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(story, "story");
  }

  /** The demo: Istio's mTLS migration story, on namespaces foo and bar with Weft, legacy without. */
  static List<DemoStep> all() {
    return List.of(
        new DemoStep("01-default", "No policy at all",
            "Every port is PERMISSIVE. Mesh clients find by auto mTLS that mesh servers take"
                + " mTLS and use it; the legacy client and the legacy server speak plaintext."
                + " Nothing fails."),
        new DemoStep("02-mesh-strict", "STRICT for the whole mesh",
            "A PeerAuthentication in the root namespace makes every mesh port STRICT. The"
                + " legacy client has no certificate, so every mesh server resets it (000);"
                + " mesh clients are unaffected."),
        new DemoStep("03-workload-strict", "STRICT for httpbin in bar only",
            "The mesh-wide policy is gone; a workload selector makes only httpbin.bar STRICT."
                + " Only legacy to httpbin.bar fails."),
        new DemoStep("04-strict-vs-dr-disable", "A DestinationRule that contradicts STRICT",
            "A DestinationRule tells every client to send plaintext to httpbin.bar, which is"
                + " STRICT. Now the mesh clients fail too: their sidecar would answer 503, and"
                + " Weft's error names both resources."),
        new DemoStep("05-namespace-strict", "STRICT for namespace foo",
            "The namespace-wide PeerAuthentication covers httpbin.foo. Mesh clients keep"
                + " using mTLS; the legacy client is refused by httpbin.foo only."),
        new DemoStep("06-workload-disable-istio19", "DISABLE for httpbin in a STRICT namespace,"
            + " Istio 1.9 rules",
            "httpbin.foo opts out with DISABLE. Istio 1.9's auto mTLS looks only at the"
                + " namespace, so mesh clients still send mTLS to a server that now speaks only"
                + " plaintext: 503. The legacy client gets through."),
        new DemoStep("07-workload-disable-latest", "The same policy, current Istio rules",
            "Current Istio's auto mTLS honours the workload's DISABLE: mesh clients send"
                + " plaintext to httpbin.foo and succeed. The same configuration, switched live"
                + " to the other rules."),
        new DemoStep("08-workload-disable-with-dr", "Istio 1.9 rules, fixed by a DestinationRule",
            "Back to 1.9's rules with the usual fix: a DestinationRule with tls DISABLE for"
                + " httpbin.foo tells the clients what auto mTLS could not."));
  }
}
