package dev.weft.samples.micronaut;

import dev.weft.samples.sleep.ForwardedClientCert;
import dev.weft.samples.sleep.SleepClient.Result;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sleep as a Micronaut bean: calls httpbin with Micronaut's own {@code HttpClient}, which Weft
 * gives mesh TLS when the application is in the mesh. Results read as the OkHttp sleep's do.
 */
@Singleton
@Requires(property = MicronautSample.APP, value = MicronautSample.SLEEP)
public class SleepCalls {
  private static final Logger log = LoggerFactory.getLogger(SleepCalls.class);

  private final HttpClient client;

  SleepCalls(@Client HttpClient client) {
    this.client = client;
  }

  /** The status of {@code GET url}, or {@code failure} when no response came. */
  public Result call(String url, String failure) {
    return exchange(get(url), failure, false);
  }

  /** The identity httpbin's {@code /headers} at {@code url} saw this client as. */
  public Result identity(String url, String failure) {
    return exchange(get(url), failure, true);
  }

  private static MutableHttpRequest<?> get(String url) {
    return HttpRequest.GET(url);
  }

  private Result exchange(MutableHttpRequest<?> request, String failure, boolean identity) {
    try {
      var response = client.toBlocking().exchange(request, String.class);
      if (!identity || response.code() != 200) {
        return new Result(String.valueOf(response.code()), Optional.empty());
      }
      return new Result(ForwardedClientCert.seenIdentity(response.body())
          .orElse("plaintext"), Optional.empty());
    } catch (HttpClientResponseException e) {
      return new Result(String.valueOf(e.code()), Optional.empty());
    } catch (HttpClientException e) {
      log.warn("{}: {}", request.getUri(), e.getMessage());
      return new Result(failure, Optional.of(e.getMessage()));
    }
  }
}
