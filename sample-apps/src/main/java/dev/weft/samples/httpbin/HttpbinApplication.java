package dev.weft.samples.httpbin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** What httpbin adds after an HTTP codec: whole requests, then the handler. */
final class HttpbinApplication extends ChannelInitializer<Channel> {
  private static final int MAX_REQUEST_BYTES = 1 << 20;
  private final HttpbinHandler handler = new HttpbinHandler();

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline().addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
  }
}
