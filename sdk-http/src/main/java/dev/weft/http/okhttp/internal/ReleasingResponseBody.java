package dev.weft.http.okhttp.internal;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/** A response body that runs {@code release} when it closes, once. */
final class ReleasingResponseBody extends ResponseBody {
  private final ResponseBody body;
  private final BufferedSource source;

  ReleasingResponseBody(ResponseBody body, Runnable release) {
    this.body = body;
    this.source = Okio.buffer(new ForwardingSource(body.source()) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          release.run();
        }
      }
    });
  }

  @Override
  public MediaType contentType() {
    return body.contentType();
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }
}
