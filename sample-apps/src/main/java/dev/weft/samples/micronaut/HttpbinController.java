package dev.weft.samples.micronaut;

import dev.weft.samples.httpbin.HttpbinAnswers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * httpbin as a Micronaut controller: {@code /ip}, {@code /headers} and {@code /status/<code>},
 * answering as the Netty httpbin does. It knows nothing of the mesh.
 */
@Controller
@Requires(property = MicronautSample.APP, value = MicronautSample.HTTPBIN)
class HttpbinController {
  @Get(uri = "/ip", produces = MediaType.APPLICATION_JSON)
  String ip(HttpRequest<?> request) {
    return HttpbinAnswers.ip(request.getRemoteAddress().getAddress().getHostAddress());
  }

  @Get(uri = "/headers", produces = MediaType.APPLICATION_JSON)
  String headers(HttpRequest<?> request) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    request.getHeaders().forEachValue(
        (name, value) -> headers.add(new AbstractMap.SimpleEntry<>(name, value)));
    return HttpbinAnswers.headers(headers);
  }

  @Get(uri = "/status/{code}", produces = MediaType.TEXT_PLAIN)
  HttpResponse<String> status(@PathVariable String code) {
    OptionalInt status = HttpbinAnswers.status(code);
    return status.isPresent() ? HttpResponse.status(HttpStatus.valueOf(status.getAsInt()))
        : HttpResponse.badRequest("invalid status code\n");
  }
}
