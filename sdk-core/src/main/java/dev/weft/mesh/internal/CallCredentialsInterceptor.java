package dev.weft.mesh.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Adds what istio-agent sends on every call to istiod: {@code authorization: Bearer <token>},
 * the token read from its file for each call (tokens rotate), and {@code ClusterID}.
 */
public final class CallCredentialsInterceptor implements ClientInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER);

  private final Optional<Path> tokenFile;
  private final String clusterId;

  public CallCredentialsInterceptor(Optional<Path> tokenFile, String clusterId) {
    this.tokenFile = tokenFile;
    this.clusterId = clusterId;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.put(CLUSTER_ID, clusterId);
        if (tokenFile.isPresent()) {
          try {
            headers.put(AUTHORIZATION, "Bearer "
                + Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip());
          } catch (IOException e) {
            listener.onClose(Status.UNAUTHENTICATED.withDescription(
                "cannot read the token file " + tokenFile.get() + ": " + e), new Metadata());
            return;
          }
        }
        super.start(listener, headers);
      }
    };
  }
}
