package dev.weft.micronaut;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.annotation.Client;

/** A declarative client of httpbin.bar by its URL, as an application would write it. */
@Client("http://httpbin.bar:8000")
interface HttpbinClient {
  @Get(value = "/whoami", consumes = MediaType.TEXT_PLAIN)
  String whoami();
}
