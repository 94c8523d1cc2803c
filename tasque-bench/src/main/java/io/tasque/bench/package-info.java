/**
 * Throughput, latency, idle-cost, memory and heap benchmark of tasque on Redis, run with the same phases and
 * printing the same result line as the peer task queues it is compared with, and drawing them side by side
 * as an SVG chart, and how one queue split into partitions scales over Redis Cluster masters ({@code --cluster},
 * {@link io.tasque.bench.ClusterScaling}). Entry point: {@link io.tasque.bench.Bench}; the JMH micro-benchmarks are in
 * {@code io.tasque.bench.micro}.
 */
package io.tasque.bench;
