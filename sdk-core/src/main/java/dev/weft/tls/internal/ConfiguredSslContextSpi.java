package dev.weft.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} implementation that hands out engines and sockets already configured
 * with fixed {@link SSLParameters} (protocols, cipher suites, client authentication) and mode,
 * so code that only takes an {@code SSLContext} still gets mesh TLS settings.
 */
public final class ConfiguredSslContextSpi extends SSLContextSpi {
  private final SSLContext delegate;
  private final SSLParameters parameters;
  private final boolean clientMode;

  private ConfiguredSslContextSpi(SSLContext delegate, SSLParameters parameters, boolean clientMode) {
    this.delegate = delegate;
    this.parameters = parameters;
    this.clientMode = clientMode;
  }

  /** Wraps an initialised {@code delegate}; every engine and socket gets {@code parameters}. */
  public static SSLContext wrap(SSLContext delegate, SSLParameters parameters, boolean clientMode) {
    return new SSLContext(
        new ConfiguredSslContextSpi(delegate, parameters, clientMode),
        delegate.getProvider(), delegate.getProtocol()) { };
  }

  @Override
  protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
      throws KeyManagementException {
    throw new KeyManagementException("this mesh SSLContext is already initialised");
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return new ConfiguredSocketFactory(delegate.getSocketFactory());
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    return new ConfiguredServerSocketFactory(delegate.getServerSocketFactory());
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    return configure(delegate.createSSLEngine());
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    return configure(delegate.createSSLEngine(host, port));
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return delegate.getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return delegate.getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    return copy(parameters);
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    return delegate.getSupportedSSLParameters();
  }

  private SSLEngine configure(SSLEngine engine) {
    engine.setUseClientMode(clientMode);
    engine.setSSLParameters(copy(parameters));
    return engine;
  }

  private Socket configure(Socket socket) {
    SSLSocket ssl = (SSLSocket) socket;
    ssl.setUseClientMode(clientMode);
    ssl.setSSLParameters(copy(parameters));
    return ssl;
  }

  private static SSLParameters copy(SSLParameters p) {
    SSLParameters copy = new SSLParameters(p.getCipherSuites(), p.getProtocols());
    if (p.getNeedClientAuth()) {
      copy.setNeedClientAuth(true);
    } else if (p.getWantClientAuth()) {
      copy.setWantClientAuth(true);
    }
    copy.setUseCipherSuitesOrder(p.getUseCipherSuitesOrder());
    copy.setEndpointIdentificationAlgorithm(p.getEndpointIdentificationAlgorithm());
    copy.setApplicationProtocols(p.getApplicationProtocols());
    return copy;
  }

  private final class ConfiguredSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory factory;

    ConfiguredSocketFactory(SSLSocketFactory factory) {
      this.factory = factory;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return parameters.getCipherSuites().clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return factory.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return configure(factory.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return configure(factory.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
        throws IOException {
      return configure(factory.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configure(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return configure(factory.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configure(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
        int localPort) throws IOException {
      return configure(factory.createSocket(address, port, localAddress, localPort));
    }
  }

  private final class ConfiguredServerSocketFactory extends SSLServerSocketFactory {
    private final SSLServerSocketFactory factory;

    ConfiguredServerSocketFactory(SSLServerSocketFactory factory) {
      this.factory = factory;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return parameters.getCipherSuites().clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return factory.getSupportedCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return configure((SSLServerSocket) factory.createServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return configure((SSLServerSocket) factory.createServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return configure((SSLServerSocket) factory.createServerSocket(port, backlog));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      return configure((SSLServerSocket) factory.createServerSocket(port, backlog, address));
    }

    private ServerSocket configure(SSLServerSocket socket) {
      socket.setUseClientMode(clientMode);
      socket.setSSLParameters(copy(parameters));
      return socket;
    }
  }
}
