package io.shardlb.events.chronicle;

import io.shardlb.events.log.LogException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The marker file of a journal directory ({@code shardlb-journal.properties}): its format version and the
 * partition count of each topic. A directory written by a newer format is refused, never misread.
 */
final class JournalFormat {
    /** The format this code writes and the newest it reads. */
    static final int CURRENT = 1;
    static final String FILE = "shardlb-journal.properties";

    private JournalFormat() {
    }

    /** Reads or creates the marker; returns the heartbeats partition count recorded there. */
    static int openOrCreate(Path dir, int heartbeatPartitions) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                Properties p = new Properties();
                p.setProperty("format", Integer.toString(CURRENT));
                p.setProperty("heartbeats.partitions", Integer.toString(heartbeatPartitions));
                try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    p.store(w, "shardlb journal (Chronicle Queue); do not edit");
                }
                return heartbeatPartitions;
            }
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            int format = Integer.parseInt(p.getProperty("format", "-1").strip());
            if (format > CURRENT || format < 1) {
                throw new LogException("journal " + dir + " has format " + format + "; this shardlb reads formats 1.."
                        + CURRENT + " (written by a newer shardlb? use that version to read it)");
            }
            return Integer.parseInt(p.getProperty("heartbeats.partitions", "2").strip());
        } catch (IOException | NumberFormatException e) {
            throw new LogException("cannot open journal " + dir + ": " + e.getMessage(), e);
        }
    }
}
