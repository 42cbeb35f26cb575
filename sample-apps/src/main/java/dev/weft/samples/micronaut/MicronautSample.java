package dev.weft.samples.micronaut;

import dev.weft.mesh.Mesh;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Micronaut sample application started in-process: its beans are the sample's (property
 * {@value #APP}), its mesh settings are {@code weft.*} properties; with none, Weft is off and it
 * is a legacy application. The samples author policy with Weft's annotations ({@code
 * HttpbinPolicy}, {@code SleepPolicy}) unless {@value #AUTHORED_POLICY} is false.
 */
public final class MicronautSample implements AutoCloseable {
  /** The property that says which sample's beans an application context holds. */
  static final String APP = "samples.app";
  static final String HTTPBIN = "httpbin";
  static final String SLEEP = "sleep";
  /** The property that turns the samples' own policy annotations off. */
  static final String AUTHORED_POLICY = "samples.authored-policy";

  private final ApplicationContext context;

  private MicronautSample(ApplicationContext context) {
    this.context = context;
  }

  /**
   * The httpbin controller served on {@code bindAddress}, in the mesh when {@code weft} holds
   * settings ({@code weft.namespace} and so on), else legacy.
   */
  public static MicronautSample httpbin(InetSocketAddress bindAddress, Map<String, Object> weft) {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Map<String, Object> properties = properties(HTTPBIN, weft);
    properties.put("micronaut.server.host", bindAddress.getHostString());
    properties.put("micronaut.server.port", bindAddress.getPort() == 0 ? -1 : bindAddress.getPort());
    return new MicronautSample(ApplicationContext.run(EmbeddedServer.class, properties)
        .getApplicationContext());
  }

  /** sleep: an application with no server, in the mesh when {@code weft} holds settings. */
  public static MicronautSample sleep(Map<String, Object> weft) {
    return new MicronautSample(ApplicationContext.run(properties(SLEEP, weft)));
  }

  /** sleep's calls; only in a {@link #sleep} application. */
  public SleepCalls sleepCalls() {
    return context.getBean(SleepCalls.class);
  }

  private static Map<String, Object> properties(String app, Map<String, Object> weft) {
    Map<String, Object> properties = new HashMap<>(weft);
    properties.put(APP, app);
    if (weft.isEmpty()) {
      properties.put("weft.enabled", false);
    }
    return properties;
  }

  /**
   * {@code weft} with the samples' own policy annotations off, so the configuration alone
   * decides, as the standard topology needs to reproduce what a cluster did.
   */
  public static Map<String, Object> configurationOnly(Map<String, Object> weft) {
    Map<String, Object> properties = new HashMap<>(weft);
    properties.put(AUTHORED_POLICY, false);
    return properties;
  }

  /** The application's mesh; empty when Weft is off. */
  public Optional<Mesh> mesh() {
    return context.findBean(Mesh.class);
  }

  /** The port the server listens on. */
  public int port() {
    return context.getBean(EmbeddedServer.class).getPort();
  }

  /** Stops the application. */
  @Override
  public void close() {
    context.close();
  }
}
