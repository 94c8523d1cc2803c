package io.tasque.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr for bulk commands, redrawn in place ({@code \r}) when the whole percentage
 * changes, ended with a newline. A disabled bar prints nothing.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private long total;
    private long done;
    private long shownPercent = -1;

    ProgressBar(PrintWriter err, String label, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.total = Math.max(0, total);
        this.enabled = enabled;
    }

    /** One more job handled. */
    void step() {
        done++;
        if (done > total) {
            total = done;
        }
        draw(false);
    }

    /** Draws the final state and ends the line. */
    void finish() {
        draw(true);
        if (enabled) {
            err.println();
            err.flush();
        }
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long percent = total == 0 ? 100 : done * 100 / total;
        if (!force && percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = (int) (percent * WIDTH / 100);
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + done + "/" + total + " (" + percent + "%)");
        err.flush();
    }
}
