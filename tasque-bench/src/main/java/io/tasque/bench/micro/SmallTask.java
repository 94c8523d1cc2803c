package io.tasque.bench.micro;

import io.tasque.JobIds;
import io.tasque.Task;
import io.tasque.codec.Envelope;

/**
 * The typical small task the micro-benchmarks use: a named task with a short text, a URL, a count and a
 * timestamp, about the shape of the samples' tasks.
 */
final class SmallTask {

    static final String NAME = "download";
    static final String URL = "https://example.org/files/report-2024.pdf";
    static final String TEXT = "hello world";
    static final long ENQUEUED_AT = 1_700_000_000_000L;
    static final long TTL_MS = 24 * 3_600_000L;

    private SmallTask() {
    }

    /** Builds the task from its parameters. */
    static Task build(String url, long ts) {
        return Task.of(NAME).set("url", url).set("text", TEXT).set("attempts", 3).set("ts", ts);
    }

    /** The task as the client hands it to the codec. */
    static Envelope envelope() {
        Task t = build(URL, ENQUEUED_AT);
        return new Envelope(JobIds.next(), t.name(), t.params(), ENQUEUED_AT, ENQUEUED_AT + TTL_MS);
    }
}
