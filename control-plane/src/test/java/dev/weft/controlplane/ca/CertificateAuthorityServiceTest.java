package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.cert.CertificateSourceException;
import dev.weft.cert.IstioCaClient;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.cert.WorkloadCredential;
import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.ca.IstioCertificateRequest;
import dev.weft.cert.internal.ca.IstioCertificateResponse;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub;
import dev.weft.controlplane.auth.AuthenticatingInterceptor;
import dev.weft.controlplane.auth.CallerAuthenticator;
import dev.weft.controlplane.auth.DevTokens;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.identity.internal.X509Svids;
import dev.weft.tls.MeshKeyManager;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CertificateAuthorityServiceTest {
  private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");
  private static final SpiffeId WEB = SpiffeId.forServiceAccount(TRUST_DOMAIN, "shop", "web");
  private static final SpiffeId DB = SpiffeId.forServiceAccount(TRUST_DOMAIN, "shop", "db");
  private static final SpiffeId REQUESTED =
      SpiffeId.forServiceAccount(TRUST_DOMAIN, "default", "requested");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;

  private final LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TRUST_DOMAIN);
  private final DevTokens tokens = DevTokens.inMemory();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RunningCaServer server;
  private Path tokenFile;

  @BeforeEach
  void startServer() throws Exception {
    server = track(new RunningCaServer(ca,
        new CallerAuthenticator(ca.trustBundles(), tokens, CallerAuthenticator.DEFAULT_CLUSTER_ID)));
    tokenFile = dir.resolve("istio-token");
    tokens.writeTokenFile(WEB, tokenFile);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void issuesForTheTokensIdentityNotTheCsrs() throws Exception {
    WorkloadCredential credential = build(client()).fetch();

    assertThat(X509Svids.leafIdentity(credential.leaf())).isEqualTo(WEB);
    assertThat(X509Svids.verify(credential.chain(), ca.trustBundles(), X509Svids.Purpose.CLIENT,
        new Date())).isEqualTo(WEB);
  }

  @Test
  void issuedChainVerifiesAgainstTheCaRootsAndCarriesTheCsrsKey() throws Exception {
    KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);

    IstioCertificateResponse response =
        stub(null, bearer(tokens.issue(WEB))).createCertificate(request(key, REQUESTED, 3600));

    assertThat(response.getCertChainList()).hasSize(2)
        .allSatisfy(pem -> assertThat(Pem.readCertificates(pem, "element")).hasSize(1));
    List<X509Certificate> chain = chain(response);
    assertThat(chain.get(chain.size() - 1)).isEqualTo(ca.rootCertificates().get(0));
    assertThat(X509Svids.verify(chain, ca.trustBundles(), X509Svids.Purpose.CLIENT, new Date()))
        .isEqualTo(WEB);
    assertThat(chain.get(0).getPublicKey()).isEqualTo(key.getPublic());
    assertThat(lifetime(chain.get(0))).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void clientCertificateAuthenticatesWithoutAToken() throws Exception {
    KeyManager svid = svidOf(ca, DB);

    IstioCertificateResponse response = stub(svid, new Metadata())
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), REQUESTED, 0));

    assertThat(X509Svids.leafIdentity(chain(response).get(0))).isEqualTo(DB);
  }

  @Test
  void clientCertificateWinsOverATokenForAnotherIdentity() throws Exception {
    IstioCertificateResponse response = stub(svidOf(ca, DB), bearer(tokens.issue(WEB)))
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), REQUESTED, 0));

    assertThat(X509Svids.leafIdentity(chain(response).get(0))).isEqualTo(DB);
  }

  @Test
  void requestWithoutATtlGetsTheDefault() throws Exception {
    IstioCertificateResponse response = stub(null, bearer(tokens.issue(WEB)))
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB, 0));

    assertThat(lifetime(chain(response).get(0))).isEqualTo(LocalCertificateAuthority.DEFAULT_TTL);
  }

  @Test
  void callerWithNoCredentialIsUnauthenticated() throws Exception {
    assertThatThrownBy(() -> build(clientWithoutToken()).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessage("the CA at " + server.address() + " rejected the credentials (no token "
            + "file, cluster Kubernetes): authentication failed: no credential: present a client "
            + "certificate from the mesh CA or an authorization header \"Bearer <token>\"")
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void badTokenIsUnauthenticatedWithoutEchoingIt() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs(AuthenticatingInterceptor.class);
    String foreign = DevTokens.inMemory().issue(WEB);
    Files.writeString(tokenFile, foreign);

    assertThatThrownBy(() -> build(client()).fetch())
        .hasMessageEndingWith("authentication failed: token: the token's signature does not "
            + "verify: it was altered or issued under another key")
        .satisfies(e -> assertThat(e.getMessage())
            .doesNotContain(foreign.substring(foreign.lastIndexOf('.') + 1)));
    assertThat(logs.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage())
          .contains("istio.v1.auth.IstioCertificateService/CreateCertificate", "/127.0.0.1:",
              "issued under another key")
          .doesNotContain(foreign.substring(foreign.lastIndexOf('.') + 1));
    });
  }

  @Test
  void authorizationThatIsNotABearerTokenIsUnauthenticated() {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Basic d2ViOnNlY3JldA==");

    assertThatThrownBy(() -> stub(null, headers)
            .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB, 0)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("authentication failed: token: "
              + "the authorization header is neither \"Bearer <token>\" nor \"Istio <token>\"");
        });
  }

  @Test
  void istioSchemeCarriesATokenToo() throws Exception {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Istio " + tokens.issue(WEB));

    IstioCertificateResponse response = stub(null, headers)
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB, 0));

    assertThat(X509Svids.leafIdentity(chain(response).get(0))).isEqualTo(WEB);
  }

  @Test
  void clientCertificateFromAnotherCaIsUnauthenticated() throws Exception {
    LocalCertificateAuthority other = LocalCertificateAuthority.inMemory(TRUST_DOMAIN);

    assertThatThrownBy(() -> stub(svidOf(other, DB), new Metadata())
            .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), DB, 0)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("authentication failed: client "
              + "certificate: the certificate chain of " + DB + ": it does not chain to the "
              + "trust bundle of cluster.local");
        });
  }

  @Test
  void tokenAuthenticatesWhenTheClientCertificateDoesNot() throws Exception {
    LocalCertificateAuthority other = LocalCertificateAuthority.inMemory(TRUST_DOMAIN);

    IstioCertificateResponse response = stub(svidOf(other, DB), bearer(tokens.issue(WEB)))
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), DB, 0));

    assertThat(X509Svids.leafIdentity(chain(response).get(0))).isEqualTo(WEB);
  }

  @Test
  void unknownClusterIdIsUnauthenticatedNamingIt() {
    assertThatThrownBy(() -> build(client().clusterId("east")).fetch())
        .hasMessageEndingWith("authentication failed: token: the caller names cluster \"east\" "
            + "in ClusterID, but this control plane serves cluster \"Kubernetes\"");
  }

  @Test
  void callerMayLeaveTheClusterIdEmpty() throws Exception {
    Metadata headers = bearer(tokens.issue(WEB));
    headers.put(CLUSTER_ID, "");

    IstioCertificateResponse response = stub(null, headers)
        .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB, 0));

    assertThat(X509Svids.leafIdentity(chain(response).get(0))).isEqualTo(WEB);
  }

  @Test
  void ttlAboveTheMaximumIsRefusedAsAnInvalidArgument() {
    assertThatThrownBy(() -> build(client().ttl(Duration.ofDays(91))).fetch())
        .hasMessage("the CA at " + server.address() + " refused the certificate request: "
            + "requested TTL 91d is greater than the max allowed TTL 90d")
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void requestThatIsNotACsrIsRefusedAsAnInvalidArgument() {
    IstioCertificateRequest request =
        IstioCertificateRequest.newBuilder().setCsr("not a certificate request").build();

    assertThatThrownBy(() -> stub(null, bearer(tokens.issue(WEB))).createCertificate(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .startsWith("certificate request for " + WEB + ": ");
        });
  }

  @Test
  void tokenForAnotherTrustDomainIsRefusedAsAnInvalidArgument() {
    SpiffeId foreign = SpiffeId.parse("spiffe://example.org/ns/shop/sa/web");

    assertThatThrownBy(() -> stub(null, bearer(tokens.issue(foreign)))
            .createCertificate(request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), foreign, 0)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("cannot issue a certificate for "
              + foreign + ": this CA issues identities in trust domain cluster.local");
        });
  }

  @Test
  void impersonationIsPermissionDenied() {
    IstioCertificateRequest request = request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), DB, 0)
        .toBuilder()
        .setMetadata(Struct.newBuilder().putFields("ImpersonatedIdentity",
            Value.newBuilder().setStringValue(DB.toString()).build()))
        .build();

    assertThatThrownBy(() -> stub(null, bearer(tokens.issue(WEB))).createCertificate(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).isEqualTo("impersonation is not "
              + "supported: the request's metadata names ImpersonatedIdentity");
        });
  }

  @Test
  void serviceCalledWithoutAnAuthenticatedCallerIssuesNothing() {
    List<Throwable> errors = new ArrayList<>();
    List<IstioCertificateResponse> responses = new ArrayList<>();

    new CertificateAuthorityService(ca).createCertificate(
        request(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB, 0),
        new StreamObserver<>() {
          @Override
          public void onNext(IstioCertificateResponse response) {
            responses.add(response);
          }

          @Override
          public void onError(Throwable error) {
            errors.add(error);
          }

          @Override
          public void onCompleted() {}
        });

    assertThat(responses).isEmpty();
    assertThat(errors).singleElement().satisfies(
        e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INTERNAL));
  }

  @Test
  void logsEachIssuedCertificateWithItsIdentityTtlAndCaller() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs(CertificateAuthorityService.class);

    build(client().ttl(Duration.ofHours(6))).fetch();

    assertThat(logs.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage())
          .startsWith("issued a certificate for " + WEB + " valid 6h to /127.0.0.1:");
    });
  }

  /** The real client, asking for {@link #REQUESTED} with the token for {@link #WEB}. */
  private IstioCaClient.Builder client() {
    return clientWithoutToken().tokenFile(tokenFile);
  }

  private IstioCaClient.Builder clientWithoutToken() {
    return IstioCaClient.newBuilder()
        .address(server.address())
        .rootCertificates(ca.rootCertificates())
        .identity(REQUESTED)
        .callTimeout(Duration.ofSeconds(10));
  }

  private IstioCaClient build(IstioCaClient.Builder builder) throws CertificateSourceException {
    return track(builder.build());
  }

  /** A plain client of the CA API; it presents {@code keyManager}'s certificate, if any. */
  private IstioCertificateServiceBlockingStub stub(KeyManager keyManager, Metadata headers)
      throws Exception {
    TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder()
        .trustManager(new ByteArrayInputStream(
            Pem.write(ca.rootCertificates()).getBytes(StandardCharsets.US_ASCII)));
    if (keyManager != null) {
      credentials.keyManager(keyManager);
    }
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), credentials.build()).build();
    track(() -> {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    });
    return IstioCertificateServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Presents an X.509-SVID for {@code identity} that {@code issuer} signed. */
  private KeyManager svidOf(LocalCertificateAuthority issuer, SpiffeId identity)
      throws Exception {
    WorkloadCertificates certificates =
        WorkloadCertificates.newBuilder(issuer.sourceFor(identity)).build().start();
    track(certificates);
    return MeshKeyManager.create(certificates);
  }

  private static Metadata bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return headers;
  }

  private static IstioCertificateRequest request(KeyPair key, SpiffeId identity, long ttlSeconds) {
    return IstioCertificateRequest.newBuilder()
        .setCsr(Pem.write(CertificateRequests.create(key, identity)))
        .setValidityDuration(ttlSeconds)
        .build();
  }

  private static List<X509Certificate> chain(IstioCertificateResponse response) throws Exception {
    List<X509Certificate> chain = new ArrayList<>();
    for (String pem : response.getCertChainList()) {
      chain.addAll(Pem.readCertificates(pem, "cert_chain"));
    }
    return chain;
  }

  private static Duration lifetime(X509Certificate certificate) {
    return Duration.between(
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(0, closeable);
    return closeable;
  }

  private ListAppender<ILoggingEvent> captureLogs(Class<?> source) {
    Logger logger = (Logger) LoggerFactory.getLogger(source);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    track(() -> logger.detachAppender(appender));
    return appender;
  }
}
