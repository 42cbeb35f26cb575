package dev.weft.benchmarks.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Okio;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one request costs in each mode of {@link HttpMode}, client and server in this process.
 * {@code keepAliveGet} is a keep-alive GET of 1 KB from OkHttp to a Netty server on loopback,
 * whole; {@code answeredInProcess} is the same call answered by a last application interceptor,
 * so that only the client's interceptors run: Weft STRICT less hand-configured mTLS there is
 * the time and allocation Weft adds to each OkHttp request. With {@code -prof gc}, {@code
 * gc.alloc.rate.norm} counts every thread's allocation per request.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestCostBenchmark {
  @Param({"PLAINTEXT", "MTLS", "WEFT_STRICT", "WEFT_PERMISSIVE_PLAINTEXT"})
  String modeName;

  private HttpMode mode;
  private HttpTestbed testbed;
  private OkHttpClient client;
  private OkHttpClient answeringClient;
  private Request request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    mode = HttpMode.valueOf(modeName);
    testbed = new HttpTestbed(1);
    client = testbed.client(mode);
    answeringClient = client.newBuilder().addInterceptor(RequestCostBenchmark::answer).build();
    request = new Request.Builder().url(testbed.url(mode, HttpWorkload.KEEPALIVE_1KB.path()))
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    testbed.close();
  }

  @Benchmark
  public long keepAliveGet() throws IOException {
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException(mode + ": " + response.code() + " from " + request.url());
      }
      return response.body().source().readAll(Okio.blackhole());
    }
  }

  @Benchmark
  public int answeredInProcess() throws IOException {
    try (Response response = answeringClient.newCall(request).execute()) {
      return response.code();
    }
  }

  private static Response answer(Interceptor.Chain chain) {
    return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
        .code(200).message("OK").body(ResponseBody.create(new byte[0], null)).build();
  }
}
