package io.tasque.samples.downloader;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.samples.support.SampleBroker;
import java.util.List;

/**
 * Enqueue main of the downloader sample: checks every URL argument, then submits one {@code download} task per
 * URL and prints each job id with the file name the worker will save it under.
 * {@code DownloadEnqueue [--broker URI] URL...}; without a broker it starts an embedded Redis, private to this
 * process, for trying the command out.
 */
public final class DownloadEnqueue {

    private DownloadEnqueue() {
    }

    public static void main(String[] args) {
        try (SampleBroker broker = SampleBroker.choose(args)) {
            List<Task> tasks = broker.arguments().stream().map(DownloadTask::of).toList();   // all checked first
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("no URL given; pass one or more, e.g. https://example.org/a.pdf");
            }
            try (TasqueClient client = TasqueClient.connect(broker.uri())) {
                for (Task task : tasks) {
                    String id = client.submit(task);
                    String url = task.param(DownloadTask.URL, String.class);
                    System.out.println("submitted download job " + id + ": " + url + " -> " + FileNames.forUrl(url));
                }
            }
        }
    }
}
