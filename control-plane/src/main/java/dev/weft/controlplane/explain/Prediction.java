package dev.weft.controlplane.explain;

import dev.weft.policy.EndpointRoute;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.OutboundDecision;
import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.Workload;
import java.util.Objects;
import java.util.Optional;

/**
 * The predicted fate of one request from a client to one endpoint of a Service port, with the
 * decisions on both sides that lead to it.
 *
 * @param client the calling workload
 * @param service the Service called
 * @param port the Service port called
 * @param endpoint the endpoint, if the Service has one for that port
 * @param sends what the client sends; empty for a client without Weft, which sends plaintext
 * @param accepts what the endpoint's port accepts; empty for a server without Weft
 * @param outcome what the client sees
 */
public record Prediction(
    Workload client, Service service, ServicePort port, Optional<EndpointRoute> endpoint,
    Optional<OutboundDecision> sends, Optional<InboundDecision> accepts, Outcome outcome) {

  public Prediction {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(sends, "sends");
    Objects.requireNonNull(accepts, "accepts");
    Objects.requireNonNull(outcome, "outcome");
  }
}
