package dev.weft.micronaut;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.annotation.Client;

/** A declarative client of httpbin.bar by its service ID, resolved by discovery. */
@Client(id = "httpbin.bar:8000")
interface HttpbinByIdClient {
  @Get(value = "/whoami", consumes = MediaType.TEXT_PLAIN)
  String whoami();
}
