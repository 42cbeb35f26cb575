package dev.weft.grpc.internal;

import dev.weft.mesh.Mesh;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The {@code weft} scheme: {@code weft:///host:port} resolves through the mesh given to the
 * channel as the {@link #MESH} argument.
 */
public final class MeshNameResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "weft";
  /** The mesh a {@code weft:///} target resolves through. */
  public static final NameResolver.Args.Key<Mesh> MESH = NameResolver.Args.Key.create("weft-mesh");

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    Mesh mesh = args.getArg(MESH);
    if (mesh == null) {
      throw new IllegalArgumentException("a " + SCHEME + ":/// target resolves through a mesh:"
          + " build the channel with WeftGrpc.newChannelBuilder(mesh, \"" + targetUri + "\")");
    }
    String path = targetUri.getPath() == null ? "" : targetUri.getPath();
    URI hostPort = URI.create("//" + (path.startsWith("/") ? path.substring(1) : path));
    if (hostPort.getHost() == null || hostPort.getPort() < 0) {
      throw new IllegalArgumentException("a " + SCHEME + ":/// target names host:port, as in "
          + SCHEME + ":///greeter.bar:8080; not " + targetUri);
    }
    Executor offload = args.getOffloadExecutor() != null ? args.getOffloadExecutor()
        : ForkJoinPool.commonPool();
    return new MeshNameResolver(mesh, hostPort.getHost(), hostPort.getPort(), args, offload);
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Below DNS's, so that {@code weft} never becomes the default scheme of other channels. */
  @Override
  protected int priority() {
    return 1;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
