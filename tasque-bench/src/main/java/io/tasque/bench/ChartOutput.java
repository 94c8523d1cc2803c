package io.tasque.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --chart FILE.svg} output: the peer rows are read from the {@code --peers} file when the run
 * starts (so a wrong path fails before minutes of measuring), and the chart is written at the end with
 * this run's row first.
 */
final class ChartOutput {

    private final Path file;
    private final Path peersFile;
    private final List<PeerResults.Row> peers;

    private ChartOutput(Path file, Path peersFile, List<PeerResults.Row> peers) {
        this.file = file;
        this.peersFile = peersFile;
        this.peers = peers;
    }

    /**
     * Reads the peer rows.
     *
     * @throws UncheckedIOException when the peers file cannot be read
     */
    static ChartOutput of(String chartFile, String peersFile) {
        Path peersPath = peersFile == null ? null : Path.of(peersFile);
        List<PeerResults.Row> rows = List.of();
        if (peersPath != null) {
            try {
                rows = PeerResults.read(peersPath);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --peers " + peersFile + ": " + e.getMessage(), e);
            }
        }
        return new ChartOutput(Path.of(chartFile), peersPath, rows);
    }

    /** How many peer rows were read. */
    int peerCount() {
        return peers.size();
    }

    /** Writes the chart; {@code note} goes into its subtitle next to where the figures come from. */
    void write(PeerResults.Row tasque, String note) throws IOException {
        List<PeerResults.Row> rows = new ArrayList<>();
        rows.add(tasque);
        rows.addAll(peers);
        String from = peersFile == null ? "tasque only (no --peers file)"
                : "peers from " + peersFile.getFileName() + " (" + peers.size() + " systems)";
        String svg = new BarChart("Jobs per second, higher is better (log scale)", note + "; " + from, rows).svg();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, svg, StandardCharsets.UTF_8);
        Progress.line("chart: %s written (%d systems)", file, rows.size());
    }
}
