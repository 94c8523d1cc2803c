package io.tasque.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * One worker's entry in the {@link WorkerDirectory}, and its JSON form
 * ({@code {"host","pid","concurrency","running","queues","heartbeat","started"}}, times in epoch ms): written by
 * the worker, read by the admin view. Unknown fields are ignored when read, so an older reader reads a newer entry.
 *
 * @param host        the host name the worker runs on
 * @param pid         its process id
 * @param concurrency its handler threads
 * @param running     the jobs it held at the heartbeat
 * @param queues      the task names it handles
 * @param heartbeat   when it wrote this entry (epoch ms)
 * @param started     when it started (epoch ms)
 */
public record WorkerBeat(String host, long pid, int concurrency, int running, List<String> queues, long heartbeat,
                         long started) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public WorkerBeat {
        queues = queues == null ? List.of() : List.copyOf(queues);
    }

    /** This entry as the JSON document the directory stores. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("worker entry cannot be written as JSON: " + this, e);
        }
    }

    /**
     * Reads an entry written by {@link #json()}.
     *
     * @throws IllegalArgumentException naming the text if it is not such an entry
     */
    public static WorkerBeat parse(String json) {
        try {
            return JSON.readValue(json, WorkerBeat.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a worker entry: '" + json + "'", e);
        }
    }
}
