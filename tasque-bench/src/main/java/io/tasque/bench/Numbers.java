package io.tasque.bench;

import java.util.Locale;

/** Number formats used in the output: whole rates, millisecond values and compact "12.3k" figures. */
final class Numbers {

    private Numbers() {
    }

    /** A rate rounded to a whole number, or "-" when there is none. */
    static String whole(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : Long.toString(Math.round(v));
    }

    /** Milliseconds with two decimals, or "-". */
    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A compact figure for tables: 694k, 12.3k, 1.25M, 812. */
    static String compact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (v >= 1_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
