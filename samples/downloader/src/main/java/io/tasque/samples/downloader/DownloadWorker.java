package io.tasque.samples.downloader;

import io.tasque.samples.support.SampleBroker;
import io.tasque.worker.Worker;
import java.nio.file.Path;
import java.util.List;

/**
 * Worker main of the downloader sample: saves the URL of every {@code download} task into a directory until
 * Ctrl-C or SIGTERM, then lets running downloads finish. {@code DownloadWorker [--broker URI] [DIR]}, the
 * directory {@code ./downloads} by default; without a broker it starts an embedded Redis.
 */
public final class DownloadWorker {

    private DownloadWorker() {
    }

    public static void main(String[] args) {
        try (SampleBroker broker = SampleBroker.choose(args)) {
            List<String> dir = broker.arguments();
            if (dir.size() > 1 || dir.stream().anyMatch(d -> d.contains("://"))) {
                throw new IllegalArgumentException("DownloadWorker takes at most one directory, got " + dir
                        + "; give URLs to DownloadEnqueue");
            }
            DownloadHandler download = new DownloadHandler(Path.of(dir.isEmpty() ? "downloads" : dir.get(0)));
            try (Worker worker = Worker.builder()
                    .broker(broker.uri())
                    .concurrency(4)
                    .handle("download", download)
                    .build()) {
                System.out.println("DownloadWorker: saving into " + download.dir() + "; stop with Ctrl-C");
                worker.run();   // blocks until Ctrl-C, SIGTERM or an interrupt
            }
        }
    }
}
