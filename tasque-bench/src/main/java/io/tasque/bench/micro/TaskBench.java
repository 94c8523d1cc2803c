package io.tasque.bench.micro;

import io.tasque.JobIds;
import io.tasque.Task;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a submit costs before any I/O: building a small {@link Task} (each {@code set} checks the value and
 * copies the map) and making a job id with {@link JobIds#next()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TaskBench {

    /** Read from a field so the JIT cannot fold the task into a constant. */
    private String url = SmallTask.URL;
    private long ts = SmallTask.ENQUEUED_AT;

    @Benchmark
    public Task buildTask() {
        return SmallTask.build(url, ts);
    }

    @Benchmark
    public String nextJobId() {
        return JobIds.next();
    }
}
