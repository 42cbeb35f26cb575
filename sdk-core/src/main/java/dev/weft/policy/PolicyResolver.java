package dev.weft.policy;

import dev.weft.policy.WorkloadPolicy.AuthoredDestinationRule;
import dev.weft.policy.internal.DestinationRuleIndex;
import dev.weft.policy.internal.Hosts;
import dev.weft.policy.internal.PeerAuthenticationIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Resolves Istio's PeerAuthentication, DestinationRule and auto-mTLS rules, exactly as a
 * sidecar mesh applies them, into a {@link ResolvedPolicy}. Each decision names the resources
 * that made it.
 */
public final class PolicyResolver {
  private final MeshConfig meshConfig;
  private final PeerAuthenticationIndex peerAuthentications;
  private final DestinationRuleIndex destinationRules;
  private final Map<String, List<Workload>> workloadsByNamespace = new HashMap<>();
  private final List<Service> services;
  /**
   * A route depends only on the Service port and the rule that applies, so clients of every
   * namespace share one route object where their rules agree.
   */
  private final Map<String, ServiceRoute> routes = new ConcurrentHashMap<>();

  private PolicyResolver(MeshResources resources, Collection<Workload> workloads) {
    this.meshConfig = resources.meshConfig();
    this.peerAuthentications = new PeerAuthenticationIndex(
        resources.peerAuthentications(), meshConfig.rootNamespace());
    this.services = resources.services();
    this.destinationRules = new DestinationRuleIndex(resources.destinationRules(),
        meshConfig.rootNamespace(), services.stream().map(Service::host).toList());
    for (Workload workload : workloads) {
      workloadsByNamespace.computeIfAbsent(workload.namespace(), n -> new ArrayList<>())
          .add(workload);
    }
  }

  /**
   * Resolves {@code resources} over the workloads they declare ({@code WorkloadEntry}) and
   * {@code registered} ones.
   */
  public static ResolvedPolicy resolve(MeshResources resources, Collection<Workload> registered) {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(registered, "registered");
    Map<String, Workload> workloads = new LinkedHashMap<>();
    for (WorkloadEntry entry : resources.workloadEntries()) {
      Workload workload = entry.toWorkload();
      workloads.put(workload.namespace() + "/" + workload.name(), workload);
    }
    for (Workload workload : registered) {
      workloads.put(workload.namespace() + "/" + workload.name(), workload);
    }
    PolicyResolver resolver = new PolicyResolver(resources, workloads.values());
    Map<Workload, WorkloadInbound> inbound = new HashMap<>();
    for (Workload workload : workloads.values()) {
      inbound.put(workload, resolver.inbound(workload));
    }
    Map<String, Service> servicesByHost = new HashMap<>();
    for (Service service : resources.services()) {
      servicesByHost.put(service.host(), service);
    }
    List<String> warnings = new ArrayList<>(resolver.peerAuthentications.warnings());
    warnings.addAll(resolver.destinationRules.warnings());
    for (Workload workload : workloads.values()) {
      warnings.addAll(resolver.authoredWarnings(workload));
    }
    return new ResolvedPolicy(resolver, servicesByHost, inbound, warnings,
        resolver::clientClass);
  }

  MeshConfig meshConfig() {
    return meshConfig;
  }

  WorkloadInbound inbound(Workload workload) {
    Map.Entry<InboundDecision, Map<Integer, InboundDecision>> decisions =
        peerAuthentications.inbound(workload);
    return new WorkloadInbound(workload, decisions.getKey(), decisions.getValue());
  }

  InboundDecision namespaceLevel(String namespace) {
    return peerAuthentications.namespaceLevel(namespace);
  }

  /**
   * Clients in one namespace that the same selector rules pick, and that authored the same
   * rules, see the same routes.
   */
  private String clientClass(Workload client) {
    return client.namespace() + destinationRules.selectorRulesFor(client)
        + client.authoredPolicy().destinationRules().stream().map(PolicyResolver::key).toList();
  }

  /** What makes an authored rule's routes differ from another's. */
  private static String key(AuthoredDestinationRule rule) {
    return rule.origin() + "|" + rule.host() + "|" + rule.tls();
  }

  /** What of the policy {@code workload} authored has no effect, and why. */
  private List<String> authoredWarnings(Workload workload) {
    List<String> warnings = new ArrayList<>();
    WorkloadPolicy authored = workload.authoredPolicy();
    authored.peerAuthentication().ifPresent(pa -> peerAuthentications.workloadLevel(workload)
        .ifPresent(cp -> warnings.add(pa.origin() + " of " + workload + " is overridden by "
            + cp.meta().id() + ", which selects the workload")));
    for (AuthoredDestinationRule rule : authored.destinationRules()) {
      String host = Hosts.resolve(rule.host(), workload.namespace());
      if (services.stream().noneMatch(service -> Hosts.matches(host, service.host()))) {
        warnings.add(rule.origin() + " of " + workload + " has no effect: its host "
            + rule.host() + (host.equals(rule.host()) ? "" : " (" + host + ")")
            + " matches no Service");
      }
      services.stream()
          .filter(service -> Hosts.matches(host, service.host()))
          .flatMap(service -> destinationRules.selectorRuleOver(workload, service.host(), host)
              .stream())
          .distinct()
          .forEach(over -> warnings.add(rule.origin() + " of " + workload + " for host "
              + rule.host() + " is overridden by " + over + ", which selects the workload"));
    }
    return warnings;
  }

  ClientOutbound outbound(Workload client, ResolvedPolicy policy) {
    List<ServiceRoute> clientRoutes = new ArrayList<>();
    for (Service service : services) {
      Optional<EffectiveDestinationRule> rule =
          destinationRules.lookup(client, service.host(), service.meta().namespace());
      String ruleKey = rule.map(r -> r.rules().stream().map(d -> d.meta().id().toString())
          .collect(Collectors.joining(","))).orElse("");
      Optional<AuthoredDestinationRule> authored = authoredRule(client, service.host());
      Optional<ResourceId> over = authored.flatMap(own -> destinationRules.selectorRuleOver(
          client, service.host(), Hosts.resolve(own.host(), client.namespace())));
      if (authored.isPresent() && over.isEmpty()) {
        AuthoredDestinationRule own = authored.get();
        for (ServicePort port : service.ports()) {
          clientRoutes.add(routes.computeIfAbsent(
              service.host() + ":" + port.port() + "|" + ruleKey + "|" + key(own),
              key -> authoredRoute(service, port, own, rule)));
        }
        continue;
      }
      List<Because> notes = authored.map(own -> List.of(Because.of(own.origin() + ": host "
          + own.host() + " is overridden by " + over.get() + ", which selects " + client)))
          .orElse(List.of());
      for (ServicePort port : service.ports()) {
        clientRoutes.add(routes.computeIfAbsent(
            service.host() + ":" + port.port() + "|" + ruleKey + "|" + notes,
            key -> route(service, port, rule, notes, policy)));
      }
    }
    return new ClientOutbound(clientRoutes);
  }

  /** The route under {@code rule}; {@code notes} end every decision's reasons. */
  private ServiceRoute route(Service service, ServicePort port,
      Optional<EffectiveDestinationRule> rule, List<Because> notes, ResolvedPolicy policy) {
    PortSettings settings = PortSettings.of(rule, port.port());
    Optional<OutboundDecision> ruleTls = settings.tls.map(tls -> new OutboundDecision(
        tls.mode(), settings.tls, false, withNotes(
            List.of(Because.of(settings.from, settings.tlsField + ".mode " + tls.mode())),
            notes)));
    List<EndpointRoute> endpoints = new ArrayList<>();
    for (Workload endpoint : endpoints(service)) {
      OptionalInt targetPort = endpoint.endpointPort(port);
      if (targetPort.isPresent()) {
        endpoints.add(new EndpointRoute(endpoint, targetPort.getAsInt(), ruleTls.orElseGet(
            () -> {
              OutboundDecision auto =
                  autoMtls(service, settings, endpoint, targetPort.getAsInt(), policy);
              return notes.isEmpty() ? auto : new OutboundDecision(auto.mode(),
                  auto.settings(), auto.automatic(), withNotes(auto.because(), notes));
            })));
      }
    }
    return new ServiceRoute(service, port, rule, ruleTls,
        settings.loadBalancer.orElse(LoadBalancer.UNSPECIFIED), endpoints);
  }

  private static List<Because> withNotes(List<Because> because, List<Because> notes) {
    List<Because> all = new ArrayList<>(because);
    all.addAll(notes);
    return all;
  }

  /** The rule {@code client} authored for {@code host}: the most specific one matching it. */
  private static Optional<AuthoredDestinationRule> authoredRule(Workload client, String host) {
    AuthoredDestinationRule best = null;
    int bestSpecificity = -1;
    for (AuthoredDestinationRule rule : client.authoredPolicy().destinationRules()) {
      String pattern = Hosts.resolve(rule.host(), client.namespace());
      if (Hosts.matches(pattern, host) && Hosts.specificity(pattern) > bestSpecificity) {
        best = rule;
        bestSpecificity = Hosts.specificity(pattern);
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The route of a client that authored a rule for the Service's host: the rule's TLS on every
   * port and every endpoint, as a DestinationRule's {@code trafficPolicy.tls} would, in place
   * of the rule the configuration would apply.
   */
  private ServiceRoute authoredRoute(Service service, ServicePort port,
      AuthoredDestinationRule own, Optional<EffectiveDestinationRule> configured) {
    List<Because> because = new ArrayList<>();
    because.add(Because.of(own.origin() + ": host " + own.host() + ", tls.mode "
        + own.tls().mode()));
    configured.flatMap(EffectiveDestinationRule::trafficPolicyFrom).ifPresent(id ->
        because.add(Because.of(id, "would apply, but the rule the workload authored takes"
            + " precedence")));
    OutboundDecision tls = new OutboundDecision(own.tls().mode(), Optional.of(own.tls()), false,
        because);
    List<EndpointRoute> endpoints = new ArrayList<>();
    for (Workload endpoint : endpoints(service)) {
      OptionalInt targetPort = endpoint.endpointPort(port);
      if (targetPort.isPresent()) {
        endpoints.add(new EndpointRoute(endpoint, targetPort.getAsInt(), tls));
      }
    }
    return new ServiceRoute(service, port, Optional.empty(), Optional.of(tls),
        LoadBalancer.UNSPECIFIED, endpoints);
  }

  private List<Workload> endpoints(Service service) {
    if (service.selector().isEmpty()) {
      return List.of();
    }
    List<Workload> selected = new ArrayList<>();
    for (Workload workload :
        workloadsByNamespace.getOrDefault(service.meta().namespace(), List.of())) {
      if (workload.matches(service.selector())) {
        selected.add(workload);
      }
    }
    return selected;
  }

  /** The TLS auto mTLS chooses for one endpoint when no rule sets TLS for the port. */
  private OutboundDecision autoMtls(Service service, PortSettings settings, Workload endpoint,
      int targetPort, ResolvedPolicy policy) {
    List<Because> context = new ArrayList<>();
    settings.portWithoutTls.ifPresent(context::add);
    if (!meshConfig.enableAutoMtls()) {
      context.add(0, Because.of("MeshConfig enableAutoMtls is false: plaintext"));
      return auto(TlsMode.DISABLE, context);
    }
    InboundDecision serviceNamespace = namespaceLevel(service.meta().namespace());
    Optional<String> floor = endpoint.meshEnabled()
        ? endpoint.authoredPolicy().mutualTlsRequiredBy() : Optional.empty();
    if (serviceNamespace.mode() == MtlsMode.DISABLE && floor.isPresent()) {
      // Istio would send plaintext here (its gap with a workload STRICT under a namespace
      // DISABLE); a workload that requires mutual TLS told the control plane so, and gets it.
      Because decider = serviceNamespace.because().get(0);
      context.add(0, Because.of("auto mTLS: " + endpoint + " requires mutual TLS (" + floor.get()
          + "), so mTLS"));
      context.add(1, new Because(decider.resource(), decider.reason() + " in "
          + service.meta().namespace() + " would send plaintext"));
      return auto(TlsMode.ISTIO_MUTUAL, context);
    }
    if (serviceNamespace.mode() == MtlsMode.DISABLE) {
      Because decider = serviceNamespace.because().get(0);
      context.add(0, new Because(decider.resource(), decider.reason() + " in "
          + service.meta().namespace() + ": auto mTLS sends plaintext to every endpoint of "
          + service.meta().name()));
      return auto(TlsMode.DISABLE, context);
    }
    boolean latest = meshConfig.compatibility() == Compatibility.LATEST;
    if (latest && settings.endpointMode.isPresent()) {
      // Istio's endpoint check reads the rule's mode before it asks about a sidecar.
      TlsMode mode = settings.endpointMode.get();
      context.add(0, Because.of(settings.from, settings.endpointModeField + ".mode " + mode
          + " decides the endpoint's auto-mTLS label: "
          + (mode == TlsMode.ISTIO_MUTUAL ? "mTLS" : "plaintext")));
      return auto(mode == TlsMode.ISTIO_MUTUAL ? TlsMode.ISTIO_MUTUAL : TlsMode.DISABLE, context);
    }
    if (!endpoint.meshEnabled()) {
      context.add(0, Because.of("auto mTLS: " + endpoint + " does not run Weft, so plaintext"));
      return auto(TlsMode.DISABLE, context);
    }
    InboundDecision accepts = policy.inbound(endpoint).decision(targetPort);
    if (!latest) {
      context.add(0, Because.of("auto mTLS: " + endpoint + " runs Weft, so mTLS"));
      if (accepts.mode() == MtlsMode.DISABLE) {
        Because disable = accepts.because().get(0);
        context.add(new Because(disable.resource(), disable.reason()
            + " is not considered by clients under Istio 1.9 rules"));
      }
      return auto(TlsMode.ISTIO_MUTUAL, context);
    }
    Because server = accepts.because().get(0);
    if (accepts.mode() == MtlsMode.DISABLE) {
      context.add(0, new Because(server.resource(), server.reason() + " on port " + targetPort
          + " of " + endpoint + ": auto mTLS sends plaintext"));
      return auto(TlsMode.DISABLE, context);
    }
    context.add(0, Because.of("auto mTLS: " + endpoint + " runs Weft and accepts mTLS on port "
        + targetPort + " (" + accepts.mode() + ")"));
    return auto(TlsMode.ISTIO_MUTUAL, context);
  }

  private static OutboundDecision auto(TlsMode mode, List<Because> because) {
    return new OutboundDecision(mode, Optional.empty(), true, because);
  }

  /** What a DestinationRule sets for one Service port. */
  private static final class PortSettings {
    /** The TLS the cluster uses: a port entry replaces the whole policy, tls included. */
    Optional<ClientTls> tls = Optional.empty();
    String tlsField = "";
    Optional<LoadBalancer> loadBalancer = Optional.empty();
    /** Istio's endpoint check reads a port entry's tls only when the entry has one. */
    Optional<TlsMode> endpointMode = Optional.empty();
    String endpointModeField = "";
    Optional<Because> portWithoutTls = Optional.empty();
    ResourceId from;

    static PortSettings of(Optional<EffectiveDestinationRule> rule, int port) {
      PortSettings settings = new PortSettings();
      if (rule.isEmpty() || rule.get().trafficPolicy().isEmpty()) {
        return settings;
      }
      TrafficPolicy policy = rule.get().trafficPolicy().get();
      settings.from = rule.get().trafficPolicyFrom().orElseThrow();
      settings.endpointMode = policy.tls().map(ClientTls::mode);
      settings.endpointModeField = "trafficPolicy.tls";
      Optional<PortTrafficPolicy> portPolicy = policy.forPort(port);
      if (portPolicy.isPresent()) {
        settings.tls = portPolicy.get().tls();
        settings.tlsField = "trafficPolicy.portLevelSettings[port " + port + "].tls";
        settings.loadBalancer = portPolicy.get().loadBalancer();
        if (portPolicy.get().tls().isPresent()) {
          settings.endpointMode = portPolicy.get().tls().map(ClientTls::mode);
          settings.endpointModeField = settings.tlsField;
        } else {
          settings.portWithoutTls = Optional.of(Because.of(settings.from,
              "portLevelSettings for port " + port + " has no tls and replaces the whole policy"));
        }
      } else {
        settings.tls = policy.tls();
        settings.tlsField = "trafficPolicy.tls";
        settings.loadBalancer = policy.loadBalancer();
      }
      return settings;
    }
  }
}
