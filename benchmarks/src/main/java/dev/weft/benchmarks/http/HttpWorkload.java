package dev.weft.benchmarks.http;

/** What the clients of one comparison send: body size, and whether connections are reused. */
enum HttpWorkload {
  KEEPALIVE_1KB("keep-alive, 1 KB", 1024, true),
  NEWCONN_1KB("new connection per request, 1 KB", 1024, false),
  KEEPALIVE_1MB("keep-alive, 1 MB", 1 << 20, true);

  private final String label;
  private final int bytes;
  private final boolean keepAlive;

  HttpWorkload(String label, int bytes, boolean keepAlive) {
    this.label = label;
    this.bytes = bytes;
    this.keepAlive = keepAlive;
  }

  String label() {
    return label;
  }

  String path() {
    return "/bytes/" + bytes;
  }

  boolean keepAlive() {
    return keepAlive;
  }
}
