package dev.weft.annotation;

import dev.weft.policy.MtlsMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A PeerAuthentication the workload authors for itself: what its inbound ports accept. It
 * overrides namespace- and mesh-level PeerAuthentication; a control-plane PeerAuthentication
 * whose selector matches the workload overrides it. A workload declares at most one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PeerAuthentication {
  /** {@code mtls.mode}; UNSET inherits from the namespace- or mesh-level policy. */
  MtlsMode mode() default MtlsMode.UNSET;

  /** {@code portLevelMtls}: per container (target) port overrides. */
  PortMtls[] portLevelMtls() default {};
}
