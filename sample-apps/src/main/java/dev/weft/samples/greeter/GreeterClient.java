package dev.weft.samples.greeter;

import com.google.protobuf.StringValue;
import dev.weft.grpc.WeftGrpc;
import dev.weft.mesh.Mesh;
import dev.weft.samples.sleep.SleepClient.Result;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls greeters and reports the result as a scenario matrix does: {@code 200} for a call that
 * succeeded; for one that failed, {@code 503} from a mesh client, as its sidecar would answer,
 * and {@code 000} from a legacy client, as curl prints. One channel per {@code host:port}.
 */
public final class GreeterClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GreeterClient.class);
  private static final long DEADLINE_SECONDS = 10;

  private final Function<String, ManagedChannel> connect;
  private final String failure;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private GreeterClient(Function<String, ManagedChannel> connect, String failure) {
    this.connect = connect;
    this.failure = failure;
  }

  /** A mesh client: {@code host:port} resolves through {@code mesh}, with its TLS and balancing. */
  public static GreeterClient withWeft(Mesh mesh) {
    Objects.requireNonNull(mesh, "mesh");
    return new GreeterClient(target -> WeftGrpc.newChannelBuilder(mesh, target).build(), "503");
  }

  /**
   * A client without the mesh. As kube-proxy would, a call to a {@code host:port} of
   * {@code targets} goes to the address it maps to, in plaintext, with that authority.
   */
  public static GreeterClient legacy(Map<String, InetSocketAddress> targets) {
    Map<String, InetSocketAddress> routes = Map.copyOf(targets);
    return new GreeterClient(target -> {
      InetSocketAddress address = routes.get(target);
      if (address == null) {
        throw new IllegalArgumentException("no address for " + target + "; known: "
            + routes.keySet());
      }
      return Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
          InsecureChannelCredentials.create()).overrideAuthority(target).build();
    }, "000");
  }

  /** Says hello to the greeter at {@code host:port}: {@code 200}, or the failure code. */
  public Result call(String host, int port) {
    return unary(host, port, Greeter.SAY_HELLO, "weft", greeting -> "200");
  }

  /** The SPIFFE ID the greeter at {@code host:port} saw this client as, or {@code plaintext}. */
  public Result identity(String host, int port) {
    return unary(host, port, Greeter.WHO_AM_I, "", seen -> seen);
  }

  /** The greetings the greeter at {@code host:port} streams back for {@code name}. */
  public List<String> greetings(String host, int port, String name) {
    Iterator<StringValue> stream = ClientCalls.blockingServerStreamingCall(
        channel(host, port), Greeter.SAY_HELLO_STREAM, options(), StringValue.of(name));
    List<String> greetings = new ArrayList<>();
    stream.forEachRemaining(greeting -> greetings.add(greeting.getValue()));
    return greetings;
  }

  /** Calls {@code method}; shows the answer as {@code shown} says, or the failure code. */
  private Result unary(String host, int port, MethodDescriptor<StringValue, StringValue> method,
      String request, Function<String, String> shown) {
    try {
      String answer = ClientCalls.blockingUnaryCall(channel(host, port), method, options(),
          StringValue.of(request)).getValue();
      return new Result(shown.apply(answer), Optional.empty());
    } catch (StatusRuntimeException e) {
      String why = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      log.warn("{}:{}: {}", host, port, why);
      return new Result(failure, Optional.of(why));
    }
  }

  private ManagedChannel channel(String host, int port) {
    return channels.computeIfAbsent(host + ":" + port, connect);
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Closes every channel. */
  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels.values()) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
