package dev.weft.samples.topology;

/** What the topology's servers and clients speak. */
public enum Protocol {
  /** httpbin (Netty) and sleep (OkHttp). */
  HTTP,
  /** The greeter: grpc-java server and client. */
  GRPC,
  /** httpbin and sleep as Micronaut applications: Netty server, Micronaut HttpClient. */
  MICRONAUT
}
