package io.tasque.samples.downloader;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names downloaded files: the lowercase hex MD5 of the URL, plus the URL's extension when it is short
 * (1 to 5 letters or digits), e.g. {@code d454ecec1847f4cd1c65b694962cb817.pdf}. The same URL always maps to
 * the same name, so a retried or repeated download replaces the file instead of adding one.
 */
public final class FileNames {

    private static final Pattern SHORT_EXTENSION = Pattern.compile("[A-Za-z0-9]{1,5}");

    private FileNames() {
    }

    /** The file name for {@code url}. */
    public static String forUrl(String url) {
        return md5Hex(url) + extension(url);
    }

    /** The lowercase hex MD5 of the URL's UTF-8 bytes. */
    static String md5Hex(String url) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5, which every Java platform must provide", e);
        }
    }

    /** {@code .ext} (lowercased) from the last segment of the URL's path, or "" when there is no short one. */
    static String extension(String url) {
        String path;
        try {
            path = new URI(url).getPath();
        } catch (URISyntaxException e) {
            return "";
        }
        if (path == null) {
            return "";
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        if (dot <= 0) {
            return "";
        }
        String ext = last.substring(dot + 1);
        return SHORT_EXTENSION.matcher(ext).matches() ? "." + ext.toLowerCase(Locale.ROOT) : "";
    }
}
