package dev.weft.samples.micronaut;

import dev.weft.annotation.RequireMutualTls;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The policy the Micronaut httpbin authors for itself: mesh mTLS only, whatever its namespace's
 * PeerAuthentication says. Off where the configuration alone must decide ({@value
 * MicronautSample#AUTHORED_POLICY} false), as in {@code weft matrix}.
 */
@Singleton
@RequireMutualTls
@Requires(property = MicronautSample.APP, value = MicronautSample.HTTPBIN)
@Requires(property = MicronautSample.AUTHORED_POLICY, notEquals = "false")
class HttpbinPolicy {}
