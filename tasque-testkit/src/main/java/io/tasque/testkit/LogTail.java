package io.tasque.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads what a process appended to its log file after a known offset, for error messages. */
final class LogTail {

    private static final int MAX_LINES = 20;

    private LogTail() {
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0L;
        } catch (IOException e) {
            return 0L;
        }
    }

    /** Everything written after {@code offset}; empty if the file is missing or unreadable. */
    static String since(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.min(Math.max(0, offset), length);
            byte[] bytes = new byte[(int) Math.min(length - start, 1 << 20)];
            in.seek(length - bytes.length);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the text, indented for embedding in an exception message. */
    static String lastLines(String text) {
        List<String> lines = Arrays.asList(text.strip().split("\\R"));
        List<String> tail = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
        return tail.isEmpty() || text.isBlank() ? "  (log is empty)" : "  " + String.join("\n  ", tail);
    }
}
