package dev.weft.policy;

import java.util.Objects;

/** One port of a Service: the port clients call and the workload port it leads to. */
public record ServicePort(String name, int port, TargetPort targetPort) {

  public ServicePort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targetPort, "targetPort");
  }
}
