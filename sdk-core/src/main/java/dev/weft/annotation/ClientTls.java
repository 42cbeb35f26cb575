package dev.weft.annotation;

import dev.weft.policy.TlsMode;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link DestinationRule}'s {@code tls}: how the workload originates TLS. File fields name
 * files on the workload's machine; empty means unset.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface ClientTls {
  /** The TLS mode; MUTUAL needs {@link #clientCertificate} and {@link #privateKey}. */
  TlsMode mode();

  /** SANs the server certificate must carry; empty checks the default. */
  String[] subjectAltNames() default {};

  /** The SNI to send; empty sends the default. */
  String sni() default "";

  /** The client certificate file, for MUTUAL. */
  String clientCertificate() default "";

  /** The client private key file, for MUTUAL. */
  String privateKey() default "";

  /** The CA certificates file that verifies the server, for SIMPLE and MUTUAL. */
  String caCertificates() default "";
}
