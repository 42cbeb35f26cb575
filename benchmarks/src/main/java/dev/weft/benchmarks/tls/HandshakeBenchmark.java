package dev.weft.benchmarks.tls;

import dev.weft.benchmarks.Report;
import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.KeyAlgorithm;
import dev.weft.mesh.Mesh;
import dev.weft.tls.MeshTls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full TLS 1.3 handshakes per second on one thread (both sides' CPU), with Weft's own
 * certificates: the JDK provider against BoringSSL (netty-tcnative), ECDSA P-256 against RSA
 * 2048, TLS against mTLS. Repetitions interleave the cases.
 */
public final class HandshakeBenchmark {
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<HandshakeCase, List<Double>> rates = new LinkedHashMap<>();

  public HandshakeBenchmark(Duration warmup, Duration measure, int repetitions) {
    this.warmup = warmup;
    this.measure = measure;
    this.repetitions = repetitions;
  }

  public void run(Report report) throws Exception {
    Path folder = Files.createTempDirectory("weft-bench-tls");
    Map<KeyAlgorithm, CertificateSnapshot[]> material = new EnumMap<>(KeyAlgorithm.class);
    List<Mesh> meshes = new ArrayList<>();
    try {
      for (KeyAlgorithm key : KeyAlgorithm.values()) {
        Mesh server = start(folder, "server", key);
        Mesh client = start(folder, "client", key);
        meshes.add(server);
        meshes.add(client);
        material.put(key, new CertificateSnapshot[] {
            server.certificates().current(), client.certificates().current()});
      }
      List<HandshakeCase> cases = cases();
      Map<HandshakeCase, SslContext[]> contexts = new LinkedHashMap<>();
      for (HandshakeCase c : cases) {
        CertificateSnapshot[] pair = material.get(c.key());
        contexts.put(c, new SslContext[] {client(c, pair[1], pair[0]), server(c, pair[0])});
        rates.put(c, new ArrayList<>());
      }
      EnginePair engines = new EnginePair();
      for (HandshakeCase c : cases) {
        rate(engines, contexts.get(c), warmup);
      }
      for (int rep = 1; rep <= repetitions; rep++) {
        report.progress("TLS handshakes: repetition " + rep + " of " + repetitions);
        for (HandshakeCase c : cases) {
          rates.get(c).add(rate(engines, contexts.get(c), measure));
        }
      }
      contexts.values().forEach(pair -> {
        ReferenceCountUtil.release(pair[0]);
        ReferenceCountUtil.release(pair[1]);
      });
    } finally {
      meshes.forEach(Mesh::close);
    }
    print(report);
  }

  private static List<HandshakeCase> cases() {
    List<SslProvider> providers = new ArrayList<>(List.of(SslProvider.JDK));
    if (OpenSsl.isAvailable()) {
      providers.add(SslProvider.OPENSSL);
    }
    List<HandshakeCase> cases = new ArrayList<>();
    for (SslProvider provider : providers) {
      for (KeyAlgorithm key : KeyAlgorithm.values()) {
        for (boolean mutual : List.of(false, true)) {
          cases.add(new HandshakeCase(provider, key, mutual));
        }
      }
    }
    return cases;
  }

  private void print(Report report) {
    Report.Table table = report.table(
        "Full TLS 1.3 handshakes per second, client and server on one thread",
        "provider, key, mode", "handshakes/s");
    rates.forEach((c, values) -> table.row(c.label(), Report.spread(values, v -> v)));
    table.print();
    HandshakeCase jdkTls = new HandshakeCase(SslProvider.JDK, KeyAlgorithm.ECDSA_P256, false);
    HandshakeCase weft = weftDefault();
    List<Double> ratios = Report.pairedRatios(rates.get(weft), rates.get(jdkTls), v -> v);
    report.ratio("handshakes_vs_jdk_tls", ratios, "Weft's default (" + weft.label()
        + ") / " + jdkTls.label());
  }

  /**
   * What Weft's servers use: mesh mTLS with an ECDSA P-256 key, on the provider Netty picks:
   * BoringSSL, which weft-sdk-http brings, where its native library loads, else the JDK's.
   */
  private HandshakeCase weftDefault() {
    return new HandshakeCase(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK,
        KeyAlgorithm.ECDSA_P256, true);
  }

  private static double rate(EnginePair engines, SslContext[] pair, Duration time)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + time.toNanos();
    long count = 0;
    while (System.nanoTime() < deadline) {
      engines.handshake(pair[0], pair[1]);
      count++;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static SslContext server(HandshakeCase c, CertificateSnapshot identity)
      throws IOException {
    SslContextBuilder builder = SslContextBuilder.forServer(identity.privateKey(),
        identity.chain().toArray(X509Certificate[]::new));
    if (c.mutual()) {
      builder.trustManager(identity.trustBundles().allRoots()).clientAuth(ClientAuth.REQUIRE);
    }
    return configure(builder, c).build();
  }

  private static SslContext client(HandshakeCase c, CertificateSnapshot identity,
      CertificateSnapshot server) throws IOException {
    SslContextBuilder builder = SslContextBuilder.forClient()
        .trustManager(server.trustBundles().allRoots())
        // SVIDs name a SPIFFE ID, not a host.
        .endpointIdentificationAlgorithm(null);
    if (c.mutual()) {
      builder.keyManager(identity.privateKey(), identity.chain().toArray(X509Certificate[]::new));
    }
    return configure(builder, c).build();
  }

  private static SslContextBuilder configure(SslContextBuilder builder, HandshakeCase c) {
    return builder.sslProvider(c.provider()).protocols("TLSv1.3")
        .ciphers(MeshTls.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
  }

  private static Mesh start(Path folder, String name, KeyAlgorithm key) throws IOException {
    return Mesh.builder().namespace("bench").serviceAccount(name + "-" + key.name()
        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
        .keyAlgorithm(key).localConfig(folder).startupTimeout(Duration.ofSeconds(30))
        .build().start();
  }
}
