package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xDS without a control plane: subscriptions are answered in-process by the same translator a
 * control plane runs, and the answers go through the same handler as a stream's.
 */
public final class LocalXdsSource implements XdsSubscriber {
  private static final Logger log = LoggerFactory.getLogger(LocalXdsSource.class);

  private final WorkloadNode node;
  private final AdsClient.Handler handler;
  private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();
  private volatile XdsTranslator translator;

  public LocalXdsSource(WorkloadNode node, XdsTranslator translator, AdsClient.Handler handler) {
    this.node = Objects.requireNonNull(node, "node");
    this.translator = Objects.requireNonNull(translator, "translator");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  @Override
  public void subscribe(String typeUrl, Set<String> names) {
    subscriptions.put(typeUrl, Set.copyOf(names));
    answer(typeUrl, names);
  }

  /**
   * Translates from new policy and answers every subscription again; call under the lock that
   * {@link #subscribe} is called under.
   */
  public void update(XdsTranslator translator) {
    this.translator = Objects.requireNonNull(translator, "translator");
    for (String type : XdsNames.TYPES_IN_ORDER) {
      Set<String> names = subscriptions.get(type);
      if (names != null) {
        answer(type, subscriptions.get(type));
      }
    }
  }

  private void answer(String typeUrl, Set<String> names) {
    Map<String, Any> resources = new LinkedHashMap<>();
    translator.resources(node, typeUrl, names)
        .forEach((name, resource) -> resources.put(name, Any.pack((Message) resource)));
    Map<String, String> rejected = handler.apply(typeUrl, resources);
    if (!rejected.isEmpty()) {
      log.warn("local configuration cannot be applied, the last good stays in force: {}",
          String.join("; ", rejected.values()));
    }
  }
}
