package dev.weft.controlplane.explain;

import dev.weft.policy.EndpointRoute;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.OutboundDecision;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.ServiceRoute;
import dev.weft.policy.TlsMode;
import dev.weft.policy.Workload;
import dev.weft.policy.internal.Hosts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Predicts what a request between two workloads does, from resolved policy and the mesh's rules. */
public final class RequestPredictor {
  private final ResolvedPolicy policy;

  public RequestPredictor(ResolvedPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * One prediction per endpoint of {@code host:port} as {@code client} calls it. The host may be
   * short ({@code httpbin}, {@code httpbin.bar}) as a client in its namespace would write it.
   */
  public List<Prediction> predict(Workload client, String host, int port) {
    String fqdn = Hosts.qualify(host, client.namespace());
    Service service = policy.service(fqdn).orElseThrow(() -> new IllegalArgumentException(
        "no Service " + fqdn + "; known: " + policy.services().stream().map(Service::host)
            .sorted().collect(Collectors.joining(", "))));
    ServicePort servicePort = service.port(port).orElseThrow(() -> new IllegalArgumentException(
        "Service " + fqdn + " has no port " + port + "; it has " + service.ports().stream()
            .map(p -> Integer.toString(p.port())).collect(Collectors.joining(", "))));
    List<Prediction> predictions = new ArrayList<>();
    for (EndpointRoute endpoint : endpoints(client, service, servicePort)) {
      Optional<OutboundDecision> sends = client.meshEnabled()
          ? Optional.of(endpoint.tls()) : Optional.empty();
      Optional<InboundDecision> accepts = endpoint.workload().meshEnabled()
          ? Optional.of(policy.inbound(endpoint.workload()).decision(endpoint.targetPort()))
          : Optional.empty();
      Outcome outcome = ConnectionRules.outcome(
          sends.map(OutboundDecision::mode).orElse(null),
          accepts.map(InboundDecision::mode).orElse(null));
      predictions.add(new Prediction(client, service, servicePort, Optional.of(endpoint), sends,
          accepts, outcome));
    }
    if (predictions.isEmpty()) {
      predictions.add(new Prediction(client, service, servicePort, Optional.empty(),
          Optional.empty(), Optional.empty(), client.meshEnabled()
              ? Outcome.clientError("no endpoint of " + fqdn + " serves port " + port)
              : Outcome.reset("nothing serves " + fqdn + ":" + port)));
    }
    return predictions;
  }

  private List<EndpointRoute> endpoints(Workload client, Service service, ServicePort port) {
    if (client.meshEnabled()) {
      return policy.outbound(client).route(service.host(), port.port())
          .map(ServiceRoute::endpoints).orElse(List.of());
    }
    // A client without Weft is outside policy: it reaches every endpoint in plaintext.
    List<EndpointRoute> endpoints = new ArrayList<>();
    for (Workload workload : policy.workloads()) {
      if (workload.namespace().equals(service.meta().namespace()) && !service.selector().isEmpty()
          && workload.matches(service.selector())) {
        OptionalInt target = workload.endpointPort(port);
        if (target.isPresent()) {
          endpoints.add(new EndpointRoute(workload, target.getAsInt(), plaintextWithoutWeft(client)));
        }
      }
    }
    return endpoints;
  }

  private static OutboundDecision plaintextWithoutWeft(Workload client) {
    return new OutboundDecision(TlsMode.DISABLE, Optional.empty(), false,
        List.of(dev.weft.policy.Because.of(client + " does not run Weft: plaintext")));
  }
}
