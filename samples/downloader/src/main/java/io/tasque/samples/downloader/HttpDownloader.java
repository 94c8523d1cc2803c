package io.tasque.samples.downloader;

import io.tasque.worker.PermanentFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * Fetches a URL into a file with one HTTP GET. The body goes to a hidden {@code .part} file in the target's
 * directory, which is moved into place atomically only after a 2xx answer was read completely, so the target
 * is either absent, the old file, or the whole new one. Every failure names the URL: a non-2xx answer is an
 * {@link IOException} naming the status, retried by the worker, except a 4xx other than 408 (request timeout) and
 * 429 (too many requests), which asking again will not change: that is a {@link PermanentFailure}, so the job goes
 * to the dead letter at once. A request that fails on the way (refused, unreachable, timed out) is an
 * {@link IOException} naming the URL, with the cause.
 */
final class HttpDownloader {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;

    HttpDownloader() {
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads {@code uri} to {@code target}, replacing it if it exists.
     *
     * @return the number of bytes written
     * @throws IOException if the request fails, times out, or the server answers with a non-2xx status
     * @throws PermanentFailure if the server answers with a 4xx status other than 408 and 429
     */
    long download(URI uri, Path target) throws IOException, InterruptedException {
        Path part = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
            HttpResponse<Path> response;
            try {
                response = http.send(request, bodyTo(part));
            } catch (IOException e) {
                throw new IOException("download of " + uri + " failed: " + e, e);
            }
            int status = response.statusCode();
            if (isPermanent(status)) {
                throw new PermanentFailure("download of " + uri + " failed: HTTP " + status
                        + " (expected 2xx; a 4xx other than 408 and 429 is not retried)");
            }
            if (!isSuccess(status)) {
                throw new IOException("download of " + uri + " failed: HTTP " + status + " (expected 2xx)");
            }
            long size = Files.size(part);
            moveIntoPlace(part, target);
            return size;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Writes a 2xx body to the file and throws any other body away. */
    private static BodyHandler<Path> bodyTo(Path part) {
        return info -> isSuccess(info.statusCode())
                ? BodySubscribers.ofFile(part)
                : BodySubscribers.replacing(null);
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** A client error that asking again will not change; 408 and 429 say "try later", so they are retried. */
    private static boolean isPermanent(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
