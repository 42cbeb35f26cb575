package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A floor under the workload's inbound policy: whatever the control plane says, every inbound
 * port accepts mesh mTLS only (STRICT); a weaker mode is raised, and the reason says so.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequireMutualTls {}
