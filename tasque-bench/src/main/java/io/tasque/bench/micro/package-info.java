/**
 * JMH micro-benchmarks of tasque's hot pure-Java paths: the envelope codec, building a task and making a job
 * id. Run them with {@link io.tasque.bench.micro.MicroBench} ({@code tasque-bench/micro.sh}).
 */
package io.tasque.bench.micro;
