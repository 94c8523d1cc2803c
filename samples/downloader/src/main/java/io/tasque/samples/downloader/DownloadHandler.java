package io.tasque.samples.downloader;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@code download} tasks: fetches the {@code url} parameter into the download directory under the name
 * {@link FileNames#forUrl} gives it. A failed fetch throws, so the worker retries the job; a retry never finds a
 * half-written file. A file the server says is not there (a 4xx other than 408 and 429) is a {@link
 * io.tasque.worker.PermanentFailure}: the job goes to the dead letter without its remaining attempts.
 */
public final class DownloadHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(DownloadHandler.class);

    private final Path dir;
    private final HttpDownloader downloader = new HttpDownloader();

    /** A handler that saves into {@code dir}, creating it when needed. */
    public DownloadHandler(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public void handle(Task task) throws IOException, InterruptedException {
        String url = task.require(DownloadTask.URL, String.class);
        URI uri = DownloadTask.parseUrl(url);
        Path target = target(url);
        Files.createDirectories(dir);
        long bytes = downloader.download(uri, target);
        log.info("download [job {}, attempt {}]: {} -> {} ({} bytes)", task.id(), task.attempt(), url,
                target.getFileName(), bytes);
    }

    /** Where the file for {@code url} is saved. */
    public Path target(String url) {
        return dir.resolve(FileNames.forUrl(url));
    }

    /** The download directory, absolute. */
    public Path dir() {
        return dir;
    }
}
