package dev.weft.grpc.xds.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.weft.xds.internal.NodeMetadata;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsNames;
import java.time.Duration;

/**
 * grpc-java's xDS bootstrap, as istio-agent writes it for proxyless gRPC, but pointing at the
 * in-process relay: the workload's node, the {@code default} certificate provider reading the
 * files Weft keeps fresh, and Istio's server listener names.
 */
public final class XdsBootstrap {
  private XdsBootstrap() {}

  /** The bootstrap JSON for {@code node}, the relay at {@code relay}, and {@code files}. */
  public static String json(WorkloadNode node, String relay, CertificateFiles files,
      Duration refreshInterval) {
    Struct certificateProvider = Struct.newBuilder()
        .putFields("plugin_name", string("file_watcher"))
        .putFields("config", struct(Struct.newBuilder()
            .putFields("certificate_file", string(files.chain().toString()))
            .putFields("private_key_file", string(files.key().toString()))
            .putFields("ca_certificate_file", string(files.roots().toString()))
            .putFields("refresh_interval", string(refreshInterval.toSeconds() + "s"))
            .build()))
        .build();
    Struct server = Struct.newBuilder()
        .putFields("server_uri", string(relay))
        .putFields("channel_creds", list(struct(Struct.newBuilder()
            .putFields("type", string("insecure")).build())))
        .putFields("server_features", list(string("xds_v3")))
        .build();
    Struct bootstrap = Struct.newBuilder()
        .putFields("xds_servers", list(struct(server)))
        .putFields("node", nodeJson(node))
        .putFields("certificate_providers", struct(Struct.newBuilder()
            .putFields(XdsNames.CERTIFICATE_PROVIDER, struct(certificateProvider)).build()))
        .putFields("server_listener_resource_name_template",
            string(XdsNames.INBOUND_LISTENER_PREFIX + "%s"))
        .build();
    try {
      return JsonFormat.printer().print(bootstrap);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Struct always prints as JSON", e);
    }
  }

  private static Value nodeJson(WorkloadNode node) {
    try {
      Struct.Builder json = Struct.newBuilder();
      JsonFormat.parser().merge(JsonFormat.printer().print(NodeMetadata.toNode(node)), json);
      return struct(json.build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Node always prints as JSON", e);
    }
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static Value struct(Struct struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }

  private static Value list(Value value) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addValues(value)).build();
  }
}
