package dev.weft.benchmarks;

import dev.weft.policy.ClientOutbound;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.ServiceRoute;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadInbound;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Policy compilation and lookups at scale: 10,000 services with 10 endpoints each, 1,000
 * PeerAuthentications and 1,000 DestinationRules. Run with {@code -prof gc} to see allocation.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PolicyResolverBenchmark {
  @Param("10000")
  int services;

  private SyntheticMesh mesh;
  private WorkloadInbound inbound;
  private ClientOutbound outbound;
  private String host;

  @Setup(Level.Trial)
  public void setUp() {
    mesh = new SyntheticMesh(services, 10, 1000, 1000);
    ResolvedPolicy policy = PolicyResolver.resolve(mesh.resources, mesh.workloads);
    Workload endpoint = mesh.workloads.get(3 * 10 + 1);
    inbound = policy.inbound(endpoint);
    outbound = policy.outbound(mesh.client);
    host = "svc-3." + endpoint.namespace() + ".svc.cluster.local";
  }

  /** Everything a client workload needs: inbound for every workload, then its own routes. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int compile() {
    ResolvedPolicy policy = PolicyResolver.resolve(mesh.resources, mesh.workloads);
    return policy.outbound(mesh.client).routes().size();
  }

  /** What a connection's port accepts. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public InboundDecision inboundLookup() {
    return inbound.decision(SyntheticMesh.CONTAINER_PORT);
  }

  /** How a client reaches a Service port. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Optional<ServiceRoute> outboundLookup() {
    return outbound.route(host, SyntheticMesh.SERVICE_PORT);
  }
}
