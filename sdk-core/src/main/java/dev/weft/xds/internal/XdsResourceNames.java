package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Set;

/** The name of an xDS resource, whatever its type. */
final class XdsResourceNames {
  private static final Set<String> NAMED_BY_FIRST_FIELD =
      Set.of(XdsNames.LISTENER, XdsNames.ROUTE, XdsNames.CLUSTER, XdsNames.ENDPOINT);
  /**
   * Field 1, a string: the name of a Listener, RouteConfiguration or Cluster, the cluster_name
   * of a ClusterLoadAssignment. A tag is the field number shifted past the 3-bit wire type.
   */
  private static final int NAME_TAG = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private XdsResourceNames() {}

  /**
   * The resource's name, read without parsing the rest (the resource is parsed once, where it is
   * applied); its type URL with a note when it cannot be read.
   */
  static String of(Any resource) {
    if (!NAMED_BY_FIRST_FIELD.contains(resource.getTypeUrl())) {
      return resource.getTypeUrl();
    }
    try {
      CodedInputStream in = resource.getValue().newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == NAME_TAG) {
          return in.readStringRequireUtf8();
        }
        if (!in.skipField(tag)) {
          break;
        }
      }
      return "";
    } catch (IOException e) {
      return resource.getTypeUrl() + " (unreadable: " + e.getMessage() + ")";
    }
  }
}
