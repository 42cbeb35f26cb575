package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A DestinationRule the workload authors for its own calls to {@code host}. For this client it
 * overrides the DestinationRules of every namespace for the host; a control-plane
 * DestinationRule for the same host whose workloadSelector matches the workload overrides it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(DestinationRules.class)
public @interface DestinationRule {
  /**
   * The host, as a DestinationRule names it: a short name (relative to the workload's
   * namespace), an FQDN, or a wildcard such as {@code *.bar.svc.cluster.local}.
   */
  String host();

  /** How the workload originates TLS to the host. */
  ClientTls tls();
}
