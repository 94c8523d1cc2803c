package io.tasque.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table for people: a header row, columns padded to their widest cell, numbers right-aligned. */
final class Table {

    /** Cells longer than this are cut with an ellipsis, so one long error does not push the others off screen. */
    static final int MAX_CELL = 60;

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;

    Table(String... headers) {
        this.headers = headers.clone();
        this.numeric = new boolean[headers.length];
    }

    /** Adds a row; a {@link Number} cell makes its column right-aligned; null prints as {@code -}. */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + headers.length + " columns");
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] instanceof Number) {
                numeric[i] = true;
            }
            text[i] = cell(cells[i]);
        }
        rows.add(text);
        return this;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String s = value.toString().replaceAll("\\s+", " ").trim();
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
    }

    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, headers, width);
        for (String[] r : rows) {
            line(out, r, width);
        }
    }

    private void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            boolean last = i == cells.length - 1;
            if (numeric[i]) {
                b.append(" ".repeat(width[i] - cells[i].length())).append(cells[i]);
            } else {
                b.append(cells[i]);
                if (!last) {
                    b.append(" ".repeat(width[i] - cells[i].length()));
                }
            }
        }
        out.println(b);
    }
}
