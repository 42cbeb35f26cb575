package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Objects;

/** Where a client listener's routes are: to fetch by RDS, or carried inline. */
public sealed interface RouteSource {

  /** Routes to fetch by RDS, e.g. {@code outbound|8000||httpbin.bar.svc.cluster.local}. */
  record Rds(String routeConfigName) implements RouteSource {
    public Rds {
      Objects.requireNonNull(routeConfigName, "routeConfigName");
    }
  }

  /**
   * No such service: a Weft control plane says so, so a client need not wait to find out
   * (istiod leaves the name out of its answer instead).
   */
  record Absent(String reason) implements RouteSource {
    public Absent {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Routes the listener carries. */
  record Inline(RouteConfiguration routeConfiguration) implements RouteSource {
    public Inline {
      Objects.requireNonNull(routeConfiguration, "routeConfiguration");
    }
  }
}
