package io.tasque.bench;

import java.util.List;
import java.util.Locale;

/**
 * Draws the jobs/s columns as an SVG grouped bar chart: one group per column (enqueue one-by-one, bulk,
 * process c=10, c=50, end-to-end), one bar per system, on a log scale so that 4k and 300k bars are both
 * readable, each bar labelled with its value. Plain string building; the result is a standalone SVG file.
 */
final class BarChart {

    /** The group labels, in the order of the RESULT line's rate columns. */
    static final List<String> GROUPS = List.of("enqueue\none-by-one", "enqueue\nbulk", "process\nc=10",
            "process\nc=50", "end-to-end\n(c=50)");

    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int BAR = 24;
    private static final int MIN_GROUP = 100;
    private static final int GROUP_GAP = 36;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int PLOT_HEIGHT = 380;
    private static final int LEGEND_LINE = 20;

    private final String title;
    private final String subtitle;
    private final List<PeerResults.Row> rows;

    /** {@code rows} in drawing order; the first gets the first colour (tasque's). Rates of 0 or less count as missing. */
    BarChart(String title, String subtitle, List<PeerResults.Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to chart");
        }
        this.title = title;
        this.subtitle = subtitle;
        this.rows = rows.stream().map(BarChart::drawable).toList();
    }

    private static PeerResults.Row drawable(PeerResults.Row row) {
        double[] rates = row.rates().clone();
        for (int i = 0; i < rates.length; i++) {
            if (!(rates[i] > 0) || Double.isInfinite(rates[i])) {
                rates[i] = Double.NaN;
            }
        }
        return new PeerResults.Row(row.system(), rates);
    }

    String svg() {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (PeerResults.Row r : rows) {
            for (double v : r.rates()) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == 0) {
            lo = 1;
            hi = 10;
        }
        int minExp = Math.max(0, (int) Math.floor(Math.log10(lo) - 0.3));
        int maxExp = Math.max(minExp + 1, (int) Math.ceil(Math.log10(hi) + 0.25));
        Scale scale = new Scale(minExp, maxExp);

        int barsWidth = rows.size() * BAR;
        int groupWidth = Math.max(MIN_GROUP, barsWidth);
        int plotWidth = GROUPS.size() * groupWidth + (GROUPS.size() + 1) * GROUP_GAP;
        int width = LEFT + plotWidth + RIGHT;
        int legendTop = TOP + PLOT_HEIGHT + 70;
        int height = legendTop + rows.size() * LEGEND_LINE + 20;

        StringBuilder b = new StringBuilder(16_384);
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        text(b, LEFT, 26, 16, "start", "bold", title);
        text(b, LEFT, 46, 12, "start", "normal", subtitle);
        axis(b, scale, plotWidth);
        for (int g = 0; g < GROUPS.size(); g++) {
            int groupX = LEFT + GROUP_GAP + g * (groupWidth + GROUP_GAP);
            int barsX = groupX + (groupWidth - barsWidth) / 2;
            for (int s = 0; s < rows.size(); s++) {
                bar(b, scale, barsX + s * BAR, rows.get(s).rates()[g], COLORS[s % COLORS.length]);
            }
            String[] label = GROUPS.get(g).split("\n");
            for (int line = 0; line < label.length; line++) {
                text(b, groupX + groupWidth / 2, TOP + PLOT_HEIGHT + 20 + 16 * line, 13, "middle", "bold", label[line]);
            }
        }
        for (int s = 0; s < rows.size(); s++) {
            int y = legendTop + s * LEGEND_LINE;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>%n",
                    LEFT, y - 11, COLORS[s % COLORS.length]));
            text(b, LEFT + 22, y, 12, "start", s == 0 ? "bold" : "normal", rows.get(s).system());
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** Gridlines at 1, 2 and 5 times each power of ten, labelled at the powers. */
    private static void axis(StringBuilder b, Scale scale, int plotWidth) {
        int bottom = TOP + PLOT_HEIGHT;
        for (int e = scale.minExp; e <= scale.maxExp; e++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, e);
                if (e == scale.maxExp && m > 1) {
                    break;
                }
                double y = scale.y(v);
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                        LEFT, y, LEFT + plotWidth, y, m == 1 ? "#bbbbbb" : "#eeeeee"));
                if (m == 1 || scale.maxExp - scale.minExp <= 2) {
                    text(b, LEFT - 6, (int) Math.round(y + 4), 11, "end", "normal", tick(m, e));
                }
            }
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, bottom));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, bottom, LEFT + plotWidth, bottom));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\""
                + " font-size=\"12\">jobs/s (log scale)</text>%n", TOP + PLOT_HEIGHT / 2));
    }

    /** One bar with its value written upwards just above it; "n/a" at the base when there is no value. */
    private static void bar(StringBuilder b, Scale scale, int x, double v, String color) {
        int bottom = TOP + PLOT_HEIGHT;
        int cx = x + BAR / 2;
        if (Double.isNaN(v)) {
            b.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %d) rotate(-90)\" font-size=\"10\""
                    + " fill=\"#888888\">n/a</text>%n", cx + 4, bottom - 4));
            return;
        }
        double top = scale.y(v);
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s</title></rect>%n", x + 2, top, BAR - 4, bottom - top, color, Numbers.whole(v)));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %.1f) rotate(-90)\" font-size=\"11\">%s</text>%n",
                cx + 4, top - 4, escape(Numbers.compact(v))));
    }

    /** An axis label: 1, 20, 500, 1k, 50k, 1M, 2M. */
    private static String tick(int multiple, int exponent) {
        String[] suffix = {"", "k", "M", "G"};
        int group = Math.min(exponent / 3, suffix.length - 1);
        long value = multiple * (long) Math.pow(10, exponent - 3L * group);
        return value + suffix[group];
    }

    private static void text(StringBuilder b, int x, int y, int size, String anchor, String weight, String s) {
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\""
                + " font-weight=\"%s\">%s</text>%n", x, y, size, anchor, weight, escape(s)));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** Maps jobs/s onto the plot's y coordinate, 10^minExp at the bottom and 10^maxExp at the top. */
    private record Scale(int minExp, int maxExp) {

        double y(double v) {
            double f = (Math.log10(Math.max(v, Math.pow(10, minExp))) - minExp) / (maxExp - minExp);
            return TOP + PLOT_HEIGHT - f * PLOT_HEIGHT;
        }
    }
}
