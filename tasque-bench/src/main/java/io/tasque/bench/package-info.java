/**
 * Throughput, latency, idle-cost and memory benchmark of tasque on Redis, run with the same phases and
 * printing the same result line as the peer task queues it is compared with. Entry point: {@link io.tasque.bench.Bench}.
 */
package io.tasque.bench;
