package dev.weft.xds.internal;

import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * Checks an HttpConnectionManager's filters: the router last, and before it only filters that
 * change nothing (istiod's empty fault filter) or that the control plane marks optional.
 */
final class HttpFilters {
  private static final String ROUTER = Protos.typeUrl(Router.getDefaultInstance());
  private static final String FAULT = Protos.typeUrl(HTTPFault.getDefaultInstance());
  private static final String RBAC_FILTER = Protos.typeUrl(RBAC.getDefaultInstance());

  private HttpFilters() {}

  /** Rejects filters Weft would have to ignore. */
  static void check(HttpConnectionManager hcm, FieldPath at) throws InvalidResourceException {
    FieldPath filters = at.field("http_filters");
    int count = hcm.getHttpFiltersCount();
    if (count == 0) {
      throw filters.invalid("is empty; the last filter must be the router");
    }
    for (int i = 0; i < count; i++) {
      HttpFilter filter = hcm.getHttpFilters(i);
      FieldPath filterAt = filters.index(i);
      if (filter.hasConfigDiscovery()) {
        throw filterAt.field("config_discovery").invalid("is set; Weft reads filter settings"
            + " only from typed_config");
      }
      String type = filter.getTypedConfig().getTypeUrl();
      if (type.equals(ROUTER) != (i == count - 1)) {
        throw filterAt.invalid("is " + filter.getName() + "; the router, and only the router,"
            + " must be the last filter");
      }
      if (type.equals(FAULT)) {
        HTTPFault fault = Protos.unpack(filter.getTypedConfig(), HTTPFault.class,
            filterAt.field("typed_config"));
        if (!fault.equals(HTTPFault.getDefaultInstance())) {
          throw filterAt.field("typed_config").invalid("injects faults, which Weft does not"
              + " support");
        }
      } else if (type.equals(RBAC_FILTER)) {
        throw filterAt.invalid("is " + filter.getName() + ": AuthorizationPolicy is not"
            + " supported by Weft, and a server that ignored it would admit callers it denies");
      } else if (!type.equals(ROUTER) && !filter.getIsOptional()) {
        throw filterAt.invalid("is " + filter.getName() + " ("
            + (type.isEmpty() ? "no typed_config" : type) + "), which Weft does not support");
      }
    }
  }
}
