package dev.weft.benchmarks;

/**
 * One measured run: requests completed per second, latency percentiles in microseconds, process
 * CPU per request in microseconds (client and server together), and failed requests.
 */
public record LoadResult(double throughput, double p50Micros, double p99Micros, double cpuMicros,
    long failures) {}
