package dev.weft.micronaut;

import io.micronaut.core.bind.annotation.Bindable;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a controller argument to the caller's verified mesh identity: a {@code PeerIdentity} or
 * a {@code SpiffeId}, read from the mTLS session, never from a header.
 *
 * <pre>{@code
 * @Get("/hello")
 * String hello(@MeshPeer SpiffeId caller) { ... }
 * }</pre>
 *
 * <p>A plaintext request has no identity: a required argument answers it 403 Forbidden; an
 * {@code Optional} argument is empty and a {@code @Nullable} one null.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Bindable
public @interface MeshPeer {}
