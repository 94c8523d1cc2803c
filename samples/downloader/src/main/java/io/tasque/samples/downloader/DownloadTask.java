package io.tasque.samples.downloader;

import io.tasque.Task;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Names the {@code download} task and its {@code url} parameter, and checks that a URL can be downloaded. */
public final class DownloadTask {

    /** The task name; it is also the queue the worker fetches. */
    public static final String NAME = "download";
    /** The parameter holding the URL to fetch. */
    public static final String URL = "url";

    private DownloadTask() {
    }

    /**
     * A {@code download} task for {@code url}.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL, naming it
     */
    public static Task of(String url) {
        parseUrl(url);
        return Task.of(NAME).set(URL, url);
    }

    /**
     * Parses an absolute http or https URL with a host.
     *
     * @throws IllegalArgumentException naming the URL and what is wrong with it
     */
    public static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + url + "' is malformed (" + e.getReason() + " at index "
                    + e.getIndex() + "); use e.g. https://example.org/a.pdf", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL '" + url + "' is not http or https; use e.g. https://example.org/a.pdf");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URL '" + url + "' has no host; use e.g. https://example.org/a.pdf");
        }
        return uri;
    }
}
