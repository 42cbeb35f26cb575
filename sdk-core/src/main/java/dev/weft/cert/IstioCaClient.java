package dev.weft.cert;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.Durations;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.ca.IstioCertificateRequest;
import dev.weft.cert.internal.ca.IstioCertificateResponse;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc;
import dev.weft.cert.internal.ca.IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub;
import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.internal.X509Svids;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate source that has Istio's CA (istiod, istio-csr, the Weft control plane) sign a
 * fresh key over its gRPC API, as istio-agent does.
 */
public final class IstioCaClient implements CertificateSource {
  private static final Logger log = LoggerFactory.getLogger(IstioCaClient.class);

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER);
  private static final String CERT_SIGNER = "CertSigner";

  private final String address;
  private final String serverName;
  private final Path tokenFile;
  private final String clusterId;
  private final SpiffeId identity;
  private final KeyAlgorithm keyAlgorithm;
  private final Duration ttl;
  private final Duration callTimeout;
  private final String certSigner;
  private final ManagedChannel channel;
  private final IstioCertificateServiceBlockingStub stub;

  private IstioCaClient(Builder builder, ChannelCredentials credentials) {
    HostAndPort hostAndPort = builder.parsedAddress;
    this.address = builder.address;
    this.serverName = builder.authority != null ? builder.authority : hostAndPort.host();
    this.tokenFile = builder.tokenFile;
    this.clusterId = builder.clusterId;
    this.identity = builder.identity;
    this.keyAlgorithm = builder.keyAlgorithm;
    this.ttl = builder.ttl;
    this.callTimeout = builder.callTimeout;
    this.certSigner = builder.certSigner;
    ManagedChannelBuilder<?> channelBuilder =
        Grpc.newChannelBuilderForAddress(hostAndPort.host(), hostAndPort.port(), credentials);
    if (builder.authority != null) {
      channelBuilder.overrideAuthority(builder.authority);
    }
    this.channel = channelBuilder.build();
    this.stub = IstioCertificateServiceGrpc.newBlockingStub(channel);
  }

  /** A builder; the address, the identity and the mesh root certificates are required. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Generates a new key and has the CA sign it; blocks for at most the call timeout. */
  @Override
  public WorkloadCredential fetch() throws CertificateSourceException {
    if (channel.isShutdown()) {
      throw new CertificateSourceException("the client of the CA at " + address + " is closed");
    }
    Metadata headers = headers();
    KeyPair keyPair = KeyPairs.generate(keyAlgorithm);
    IstioCertificateResponse response;
    try {
      response = stub
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .createCertificate(request(keyPair));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        // The caller retries on its own schedule; without this, gRPC's reconnect backoff (up to
        // two minutes) would fail those retries at once long after the CA is back.
        channel.resetConnectBackoff();
      }
      throw callFailed(e);
    }
    return credential(keyPair, response);
  }

  /** The CA's address, {@code host:port}. */
  @Override
  public String description() {
    return address;
  }

  /** Closes the connection to the CA; later fetches fail. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Metadata headers() throws CertificateSourceException {
    Metadata headers = new Metadata();
    headers.put(CLUSTER_ID, clusterId);
    if (tokenFile != null) {
      headers.put(AUTHORIZATION, "Bearer " + readToken());
    }
    return headers;
  }

  private String readToken() throws CertificateSourceException {
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new CertificateSourceException(
          "cannot call the CA at " + address + ": the token file " + tokenFile
              + " does not exist", e);
    } catch (IOException e) {
      throw new CertificateSourceException(
          "cannot call the CA at " + address + ": cannot read the token file " + tokenFile
              + ": " + e, e);
    }
    if (token.isEmpty()) {
      throw new CertificateSourceException(
          "cannot call the CA at " + address + ": the token file " + tokenFile + " is empty");
    }
    if (!token.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw new CertificateSourceException(
          "cannot call the CA at " + address + ": the token file " + tokenFile
              + " holds characters a bearer token cannot have");
    }
    return token;
  }

  private IstioCertificateRequest request(KeyPair keyPair) {
    IstioCertificateRequest.Builder request = IstioCertificateRequest.newBuilder()
        .setCsr(Pem.write(CertificateRequests.create(keyPair, identity)))
        .setValidityDuration(ttl.toSeconds());
    if (certSigner != null) {
      request.setMetadata(Struct.newBuilder()
          .putFields(CERT_SIGNER, Value.newBuilder().setStringValue(certSigner).build()));
    }
    return request.build();
  }

  private WorkloadCredential credential(KeyPair keyPair, IstioCertificateResponse response)
      throws CertificateSourceException {
    List<X509Certificate> chain = new ArrayList<>();
    // One element may hold several certificates: istiod puts a plug-in CA's chain in one.
    for (int i = 0; i < response.getCertChainCount(); i++) {
      chain.addAll(Pem.readCertificates(response.getCertChain(i),
          "cert_chain[" + i + "] from the CA at " + address));
    }
    if (chain.size() < 2) {
      throw new CertificateSourceException(
          "the CA at " + address + " returned " + chain.size() + " certificate"
              + (chain.size() == 1 ? "" : "s") + "; expected the workload certificate and at "
              + "least the root");
    }
    X509Certificate leaf = chain.get(0);
    SpiffeId issued;
    try {
      issued = X509Svids.leafIdentity(leaf);
    } catch (CertificateException e) {
      throw new CertificateSourceException("the CA at " + address
          + " returned a workload certificate that is not an X.509-SVID: " + e.getMessage(), e);
    }
    if (!KeyPairs.matches(keyPair.getPrivate(), leaf.getPublicKey())) {
      throw new CertificateSourceException("the CA at " + address + " returned a certificate for "
          + issued + " whose public key is not the one this request sent");
    }
    TrustBundles bundles =
        TrustBundles.of(issued.trustDomain(), List.of(chain.get(chain.size() - 1)));
    try {
      X509Svids.verify(chain, bundles, X509Svids.Purpose.CLIENT, new Date());
    } catch (CertificateException | InvalidSpiffeIdException e) {
      throw new CertificateSourceException("the CA at " + address
          + " returned a chain that does not verify to its last certificate, the root: "
          + e.getMessage(), e);
    }
    if (!issued.equals(identity)) {
      log.info("the CA at {} issued {} for the request for {}; using the CA's identity",
          address, issued, identity);
    }
    return WorkloadCredential.of(keyPair.getPrivate(), chain, bundles);
  }

  private CertificateSourceException callFailed(StatusRuntimeException e) {
    Status status = e.getStatus();
    SSLException tls = causeOfType(e, SSLException.class);
    if (tls != null) {
      return new CertificateSourceException("the TLS certificate of the CA at " + address
          + " did not verify against the configured root certificates (server name "
          + serverName + "): " + deepestMessage(tls), e);
    }
    switch (status.getCode()) {
      case UNAVAILABLE:
        return new CertificateSourceException(
            "the CA at " + address + " is unreachable: " + detail(status), e);
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return new CertificateSourceException("the CA at " + address
            + " rejected the credentials (" + (tokenFile == null ? "no token file" :
            "token file " + tokenFile) + ", cluster " + clusterId + "): " + detail(status), e);
      case DEADLINE_EXCEEDED:
        return new CertificateSourceException("the CA at " + address
            + " did not answer: the call timed out after " + Durations.format(callTimeout), e);
      case INVALID_ARGUMENT:
        return new CertificateSourceException(
            "the CA at " + address + " refused the certificate request: " + detail(status), e);
      default:
        return new CertificateSourceException("the CA at " + address
            + " failed to sign the certificate request: " + status.getCode() + ": "
            + detail(status), e);
    }
  }

  private static String detail(Status status) {
    String description =
        status.getDescription() != null ? status.getDescription() : status.getCode().toString();
    return status.getCause() == null ? description
        : description + " (" + deepestMessage(status.getCause()) + ")";
  }

  private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String deepestMessage(Throwable t) {
    String message = t.toString();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message;
  }

  /** Configures an {@link IstioCaClient}. */
  public static final class Builder {
    private String address;
    private HostAndPort parsedAddress;
    private List<X509Certificate> rootCertificates = List.of();
    private Path rootCertificatesFile;
    private String authority;
    private Path tokenFile;
    private String clusterId = "Kubernetes";
    private SpiffeId identity;
    private KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;
    private Duration ttl = Duration.ofHours(24);
    private Duration callTimeout = Duration.ofSeconds(10);
    private String certSigner;

    private Builder() {}

    /** The CA's {@code host:port}, for example {@code istiod.istio-system.svc:15012}; required. */
    public Builder address(String hostAndPort) {
      this.parsedAddress = HostAndPort.parse(Objects.requireNonNull(hostAndPort, "hostAndPort"));
      this.address = hostAndPort;
      return this;
    }

    /** Root certificates the CA's TLS certificate must chain to, such as the mesh root. */
    public Builder rootCertificates(List<X509Certificate> rootCertificates) {
      Objects.requireNonNull(rootCertificates, "rootCertificates");
      rootCertificates.forEach(c -> Objects.requireNonNull(c, "rootCertificates element"));
      if (rootCertificates.isEmpty()) {
        throw new IllegalArgumentException("rootCertificates is empty");
      }
      this.rootCertificates = List.copyOf(rootCertificates);
      return this;
    }

    /** A PEM file of root certificates the CA's TLS certificate must chain to, read at build. */
    public Builder rootCertificatesFile(Path rootCertificatesFile) {
      this.rootCertificatesFile = Objects.requireNonNull(rootCertificatesFile, "rootCertificatesFile");
      return this;
    }

    /** The server name the CA's TLS certificate must carry; default the address's host. */
    public Builder authority(String authority) {
      this.authority = nonBlank(authority, "authority");
      return this;
    }

    /** The file holding the bearer token to authenticate with, read on every call. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
      return this;
    }

    /** The cluster the workload runs in, sent as {@code ClusterID}; default {@code Kubernetes}. */
    public Builder clusterId(String clusterId) {
      this.clusterId = nonBlank(clusterId, "clusterId");
      return this;
    }

    /** The workload identity to request; the CA may issue another. Required. */
    public Builder identity(SpiffeId identity) {
      Objects.requireNonNull(identity, "identity");
      if (identity.path().isEmpty()) {
        throw new IllegalArgumentException(
            "identity " + identity + " names a trust domain, not a workload");
      }
      this.identity = identity;
      return this;
    }

    /** The kind of key to generate; default ECDSA P-256. */
    public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
      this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
      return this;
    }

    /** The certificate lifetime to ask for, whole seconds; default 24 hours. */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.getSeconds() < 1) {
        throw new IllegalArgumentException("ttl must be at least one second, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** How long one call to the CA may take; default 10 seconds. */
    public Builder callTimeout(Duration callTimeout) {
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("callTimeout must be positive, was " + callTimeout);
      }
      this.callTimeout = callTimeout;
      return this;
    }

    /** The signer the CA should use, sent as {@code CertSigner}; default none. */
    public Builder certSigner(String certSigner) {
      this.certSigner = nonBlank(certSigner, "certSigner");
      return this;
    }

    /** Reads the root certificates file, if any, and returns the client. */
    public IstioCaClient build() throws CertificateSourceException {
      if (address == null) {
        throw new IllegalStateException("address is required");
      }
      if (identity == null) {
        throw new IllegalStateException("identity is required");
      }
      if (rootCertificates.isEmpty() && rootCertificatesFile == null) {
        throw new IllegalStateException(
            "rootCertificates or rootCertificatesFile is required to verify the CA");
      }
      List<X509Certificate> roots = new ArrayList<>(rootCertificates);
      if (rootCertificatesFile != null) {
        roots.addAll(Pem.readCertificates(readRoots(), rootCertificatesFile.toString()));
      }
      ChannelCredentials credentials;
      try {
        credentials = TlsChannelCredentials.newBuilder()
            .trustManager(new ByteArrayInputStream(
                Pem.write(roots).getBytes(StandardCharsets.US_ASCII)))
            .build();
      } catch (IOException e) {
        throw new CertificateSourceException(
            "cannot trust the root certificates for the CA at " + address + ": " + e, e);
      }
      return new IstioCaClient(this, credentials);
    }

    private String readRoots() throws CertificateSourceException {
      try {
        return Files.readString(rootCertificatesFile, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CertificateSourceException(
            "the root certificates file " + rootCertificatesFile + " does not exist", e);
      } catch (IOException e) {
        throw new CertificateSourceException(
            "cannot read the root certificates file " + rootCertificatesFile + ": " + e, e);
      }
    }

    private static String nonBlank(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " is blank");
      }
      return value;
    }
  }
}
