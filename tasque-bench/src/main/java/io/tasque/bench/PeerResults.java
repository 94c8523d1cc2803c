package io.tasque.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the peer kit's result lines, {@code RESULT|system|enq|bulk|c10|c50|e2e|p50|p99|notes}, from a saved
 * {@code results-*.txt} or a captured run. Other lines are ignored; a rate that is missing, {@code -} or not
 * a number is left out of its row, and a row with no rate at all is skipped. Rows of tasque itself are
 * skipped too (the chart takes tasque's figures from the run that draws it); a system named twice keeps
 * its last row.
 */
final class PeerResults {

    /** The five jobs/s columns, in the order of the RESULT line; NaN where a figure is missing. */
    record Row(String system, double[] rates) {
    }

    private PeerResults() {
    }

    static List<Row> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static List<Row> parse(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String raw : lines) {
            int at = raw.indexOf("RESULT|");
            if (at < 0) {
                continue;
            }
            String[] f = raw.substring(at).trim().split("\\|", -1);
            if (f.length < 7 || f[1].isBlank() || f[1].trim().startsWith("tasque-java")) {
                continue;
            }
            double[] rates = new double[BarChart.GROUPS.size()];
            boolean any = false;
            for (int i = 0; i < rates.length; i++) {
                rates[i] = rate(f[2 + i]);
                any |= !Double.isNaN(rates[i]);
            }
            if (any) {
                String system = f[1].trim();
                rows.remove(system);
                rows.put(system, new Row(system, rates));
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static double rate(String field) {
        try {
            double v = Double.parseDouble(field.trim());
            return v > 0 && !Double.isInfinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
