/**
 * Weft for Micronaut 4: add {@code weft-sdk-micronaut} and set {@code weft.*} (what is unset
 * comes from the pod's environment); the application needs no code. It gets a started
 * {@code Mesh} bean; its Netty server enforces the container port's PeerAuthentication and
 * {@link dev.weft.micronaut.MeshPeer} gives controllers the caller's verified identity.
 *
 * <h2>HTTP clients</h2>
 *
 * <p>The application's Netty {@code HttpClient}s (injected, {@code @Client} declarative
 * interfaces, clients by service ID) call mesh services as they would with a sidecar: the
 * application keeps writing {@code http://httpbin.bar:8000/...}, and for each new connection
 * Weft looks up the mesh route of that {@code host:port}, picks an endpoint by the
 * DestinationRule's {@code loadBalancer} (LEAST_REQUEST counts the connections open to each),
 * connects to it and speaks the TLS the policy decides for it: mesh mTLS with the workload's
 * certificate, accepting only the server's expected SPIFFE IDs, for an endpoint that takes it;
 * plaintext for one that does not; the TLS a DestinationRule originates (SIMPLE, MUTUAL) as the
 * rule says. The client gets the connection only once that handshake completed. The URL and
 * {@code Host} header are never rewritten, and a host outside the mesh is connected to as the
 * client would. The first connection to a {@code host:port} waits, off the event loop and at
 * most two seconds, for the control plane's answer, so no request leaves before its policy is
 * known.
 *
 * <p>A failure before a response is an {@code HttpClientException} caused by a
 * {@link dev.weft.http.MeshRequestException}, whose message says what happened and names the
 * resources that decided, e.g. {@code httpbin.bar:8000 (10.0.0.7:80) closed a plaintext
 * connection: PeerAuthentication bar/httpbin: workload-level STRICT; DestinationRule
 * bar/httpbin: trafficPolicy.tls.mode DISABLE}. TLS that was decided never falls back to
 * plaintext.
 *
 * <p>An {@code https} URL to a mesh service is the application's own TLS (the client's
 * {@code micronaut.http.client.ssl}), carried inside mesh mTLS when the endpoint takes it, as a
 * sidecar carries it. Micronaut pools connections by {@code host:port}; each is bound to the
 * endpoint and TLS it was made with, and after a change of policy an HTTP/1.1 connection whose
 * endpoint or TLS no longer holds is closed between two exchanges (an HTTP/2 connection is
 * kept until it closes). Not routed: HTTP/3 clients, and clients made outside the application
 * context ({@code HttpClient.create}). A client proxy is not used for mesh services: a
 * connection to one through {@code micronaut.http.client.proxy-*} fails, saying so.
 *
 * <h2>Discovery</h2>
 *
 * <p>A {@code DiscoveryClient}, asked by Micronaut next to Consul or Eureka, resolves service
 * IDs that name a mesh service: {@code httpbin.bar:8000}, {@code
 * httpbin.bar.svc.cluster.local:8000}, or {@code httpbin:8000} in the workload's own namespace;
 * without a port, port 80, as {@code http://httpbin.bar} means with a sidecar (the mesh names
 * routes by {@code host:port} and does not list a Service's ports). A service with a route is
 * one instance, {@code http://<host>:<port>} as the ID names it, so {@code @Client(id =
 * "httpbin.bar:8000")} connects as above and the policy holds on every connection. An ID with
 * no route has no instance here; the mesh lists no service IDs.
 */
package dev.weft.micronaut;
