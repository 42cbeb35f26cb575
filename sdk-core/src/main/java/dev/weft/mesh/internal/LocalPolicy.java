package dev.weft.mesh.internal;

import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigProblem;
import dev.weft.config.internal.ConfigDirectory;
import dev.weft.config.internal.ConfigState;
import dev.weft.identity.TrustDomain;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.WorkloadEntry;
import dev.weft.xds.internal.LocalXdsSource;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.WorkloadXdsState;
import dev.weft.xds.internal.XdsMultiplexer;
import dev.weft.xds.internal.XdsTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Policy with no control plane: a folder of Istio YAML, followed as it changes and translated
 * in-process for one workload, exactly as a control plane would translate it.
 */
public final class LocalPolicy implements AutoCloseable {
  private final WorkloadNode node;
  private final WorkloadXdsState state;
  private final XdsMultiplexer multiplexer;
  private LocalXdsSource source;
  private ConfigDirectory directory;

  private LocalPolicy(WorkloadNode node, TrustDomain trustDomain) {
    this.node = node;
    this.state = new WorkloadXdsState(trustDomain, node.authoredPolicy());
    this.multiplexer = XdsMultiplexer.over(state);
  }

  /**
   * Loads {@code folder} and follows it. A file whose edit has errors keeps its last good
   * content in force.
   *
   * @throws IOException if the folder cannot be read or has errors when first loaded
   */
  public static LocalPolicy start(Path folder, WorkloadNode node, TrustDomain trustDomain)
      throws IOException {
    LocalPolicy policy = new LocalPolicy(node, trustDomain);
    policy.directory = ConfigDirectory.start(folder, policy::apply);
    ConfigState first = policy.directory.current();
    if (!first.errors().isEmpty()) {
      policy.close();
      throw new IOException("the mesh configuration in " + folder
          + " has errors, so it is not applied: " + first.errors().stream()
              .map(ConfigProblem::toString).collect(Collectors.joining("; ")));
    }
    return policy;
  }

  private synchronized void apply(ConfigState config) {
    XdsTranslator translator = translator(config.resources());
    if (source == null) {
      source = new LocalXdsSource(node, translator, multiplexer);
      multiplexer.subscribeThrough(source);
    } else {
      // Under the lock subscriptions change under, so an answer built for the names subscribed
      // before a new subscription cannot be applied after it and drop the new names.
      synchronized (multiplexer.lock()) {
        source.update(translator);
      }
    }
  }

  private XdsTranslator translator(MeshResources resources) {
    List<WorkloadEntry> entries = resources.workloadEntries();
    return new XdsTranslator(PolicyResolver.resolve(resources, List.of(node.workload())),
        (workload, port) -> {
          if (workload.equals(node.workload())) {
            return node.address(port);
          }
          return entries.stream().filter(e -> e.toWorkload().equals(workload)).findFirst()
              .map(e -> new HostAndPort(e.address(), port));
        });
  }

  /** The workload's compiled xDS state. */
  public WorkloadXdsState state() {
    return state;
  }

  /** The translated policy as several xDS clients of this process share it. */
  public XdsMultiplexer multiplexer() {
    return multiplexer;
  }

  @Override
  public void close() {
    if (directory != null) {
      directory.close();
    }
  }
}
