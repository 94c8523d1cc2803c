package io.tasque.worker;

/** Renders a handler's failure as the "last error" stored with a job: type, message and a short stack summary. */
final class ErrorText {

    static final int MAX_FRAMES = 8;
    static final int MAX_CHARS = 4000;

    private ErrorText() {
    }

    static String of(Throwable t) {
        StringBuilder b = new StringBuilder();
        Throwable cur = t;
        int depth = 0;
        while (cur != null && depth < 3) {
            b.append(depth == 0 ? "" : "\ncaused by: ").append(cur.getClass().getName());
            if (cur.getMessage() != null) {
                b.append(": ").append(cur.getMessage());
            }
            StackTraceElement[] frames = cur.getStackTrace();
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                b.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > MAX_FRAMES) {
                b.append("\n\t… ").append(frames.length - MAX_FRAMES).append(" more");
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
            depth++;
        }
        return b.length() > MAX_CHARS ? b.substring(0, MAX_CHARS) + "…" : b.toString();
    }
}
