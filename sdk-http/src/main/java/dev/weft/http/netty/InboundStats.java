package dev.weft.http.netty;

/**
 * What happened to the connections of one served port so far.
 *
 * @param acceptedPlaintext plaintext connections let in
 * @param acceptedMtls connections whose mTLS handshake verified a mesh certificate
 * @param refusedPlaintext plaintext connections reset (STRICT, or no policy yet)
 * @param refusedTls TLS connections turned away: a failed handshake, 400 under DISABLE, or a
 *     reset with no policy yet
 * @param closedByPolicyChange open connections a policy change no longer allowed, closed
 *     gracefully
 */
public record InboundStats(long acceptedPlaintext, long acceptedMtls, long refusedPlaintext,
    long refusedTls, long closedByPolicyChange) {}
