package dev.weft.samples.micronaut;

import dev.weft.annotation.ClientTls;
import dev.weft.annotation.DestinationRule;
import dev.weft.policy.TlsMode;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The policy the Micronaut sleep authors for itself: mesh mTLS to httpbin in {@code bar}, as a
 * DestinationRule of its own would say. Off where the configuration alone must decide ({@value
 * MicronautSample#AUTHORED_POLICY} false), as in {@code weft matrix}.
 */
@Singleton
@DestinationRule(host = "httpbin.bar.svc.cluster.local",
    tls = @ClientTls(mode = TlsMode.ISTIO_MUTUAL))
@Requires(property = MicronautSample.APP, value = MicronautSample.SLEEP)
@Requires(property = MicronautSample.AUTHORED_POLICY, notEquals = "false")
class SleepPolicy {}
