package dev.weft.cert;

import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.ca.IstioCertificateRequest;
import dev.weft.cert.internal.ca.IstioCertificateResponse;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc;
import dev.weft.identity.SpiffeId;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server on loopback speaking Istio's CA API over TLS, like istiod: it checks the
 * bearer token and cluster ID, then answers as {@link #answer} says.
 */
final class FakeIstioCa implements AutoCloseable {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER);

  /** What the CA answers: the cert_chain elements, or null to never answer. */
  interface Answer {
    List<String> answer(IstioCertificateRequest request) throws Exception;
  }

  final List<IstioCertificateRequest> requests = new CopyOnWriteArrayList<>();
  final List<Metadata> headers = new CopyOnWriteArrayList<>();
  /** The token a caller must send; null accepts a call with no authorization header. */
  volatile String expectedToken;
  volatile String expectedClusterId;
  volatile Answer answer;

  private final ServerCredentials credentials;
  private Server server;

  /** A CA whose TLS certificate {@code tlsIssuer} signed for {@code serverNames}. */
  FakeIstioCa(LocalCertificateAuthority tlsIssuer, List<String> serverNames) throws IOException {
    KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    List<X509Certificate> chain =
        tlsIssuer.signServer(key.getPublic(), serverNames, Duration.ofHours(1));
    this.credentials = TlsServerCredentials.newBuilder()
        .keyManager(stream(Pem.write(chain)), stream(Pem.write(key.getPrivate())))
        .build();
  }

  /** Answers each request with one PEM element per certificate {@code ca} signs for {@code identity}. */
  static Answer signingAs(LocalCertificateAuthority ca, SpiffeId identity) {
    return request -> ca.sign(request.getCsr(), identity,
            Duration.ofSeconds(request.getValidityDuration()))
        .stream().map(Pem::write).toList();
  }

  /** Starts listening on 127.0.0.1; port 0 picks a free one. */
  FakeIstioCa start(int port) throws IOException {
    server = NettyServerBuilder
        .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), credentials)
        // Lets the recovery test bind the same port again at once.
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .addService(ServerInterceptors.intercept(new Service(), new CheckCredentials()))
        .build()
        .start();
    return this;
  }

  int port() {
    return server.getPort();
  }

  /** The address clients dial, {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port();
  }

  /** Stops listening and drops every connection. */
  void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      stop();
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private final class CheckCredentials implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
      headers.add(metadata);
      String token = expectedToken;
      String authorization = metadata.get(AUTHORIZATION);
      boolean tokenOk = token == null
          ? authorization == null
          : Objects.equals(authorization, "Bearer " + token);
      if (!tokenOk) {
        call.close(Status.UNAUTHENTICATED.withDescription("authenticate failure: bad token"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      if (!Objects.equals(metadata.get(CLUSTER_ID), expectedClusterId)) {
        call.close(Status.UNAUTHENTICATED.withDescription(
            "client claims to be in cluster " + metadata.get(CLUSTER_ID)), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, metadata);
    }
  }

  private final class Service extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {
    @Override
    public void createCertificate(
        IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
      requests.add(request);
      List<String> chain;
      try {
        chain = answer.answer(request);
      } catch (StatusRuntimeException e) {
        response.onError(e);
        return;
      } catch (CertificateSourceException e) {
        // istiod reports a TTL or CSR it will not sign as INVALID_ARGUMENT.
        response.onError(Status.INVALID_ARGUMENT
            .withDescription("CSR signing error (" + e.getMessage() + ")").asRuntimeException());
        return;
      } catch (Exception e) {
        response.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        return;
      }
      if (chain != null) {
        response.onNext(IstioCertificateResponse.newBuilder().addAllCertChain(chain).build());
        response.onCompleted();
      }
    }
  }
}
