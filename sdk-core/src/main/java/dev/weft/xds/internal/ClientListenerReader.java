package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.Optional;

/** Reads a client (API) listener: its filters, and where its routes are. */
final class ClientListenerReader {
  private ClientListenerReader() {}

  /** Where {@code listener}'s routes are. */
  static RouteSource read(Listener listener) throws InvalidResourceException {
    FieldPath at = FieldPath.of("Listener", listener.getName());
    Optional<String> absent = FilterMetadata.string(listener.getMetadata(),
        XdsNames.WEFT_METADATA, XdsNames.ABSENT, at);
    if (absent.isPresent()) {
      if (listener.hasApiListener()) {
        throw at.field("metadata").invalid("says there is no such service, yet the listener"
            + " has an api_listener");
      }
      return new RouteSource.Absent(absent.get());
    }
    if (!listener.hasApiListener()) {
      throw at.field("api_listener").invalid("is missing; a client listener is an API listener");
    }
    Protos.only(listener, at, "name", "address", "additional_addresses", "api_listener",
        "metadata");
    FieldPath hcmAt = at.field("api_listener").field("api_listener");
    HttpConnectionManager hcm = Protos.unpack(
        listener.getApiListener().getApiListener(), HttpConnectionManager.class, hcmAt);
    HttpFilters.check(hcm, hcmAt);
    switch (hcm.getRouteSpecifierCase()) {
      case RDS:
        FieldPath rdsAt = hcmAt.field("rds");
        Protos.requireAds(hcm.getRds().getConfigSource(), rdsAt.field("config_source"));
        if (hcm.getRds().getRouteConfigName().isEmpty()) {
          throw rdsAt.field("route_config_name").invalid("is empty");
        }
        return new RouteSource.Rds(hcm.getRds().getRouteConfigName());
      case ROUTE_CONFIG:
        return new RouteSource.Inline(hcm.getRouteConfig());
      case SCOPED_ROUTES:
        throw hcmAt.field("scoped_routes").invalid("is not supported; Weft reads rds or an"
            + " inline route_config");
      default:
        throw hcmAt.field("rds").invalid("is missing, and so is route_config");
    }
  }
}
