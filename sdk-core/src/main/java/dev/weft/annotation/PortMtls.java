package dev.weft.annotation;

import dev.weft.policy.MtlsMode;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One {@code portLevelMtls} entry of a {@link PeerAuthentication}: a container port's mode. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface PortMtls {
  /** The container (target) port, 1 to 65535; 0, the default, is reported as missing. */
  int port() default 0;

  /** The port's mode; UNSET inherits the workload's. */
  MtlsMode mode();
}
