package io.shardlb.events.chronicle;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Topic;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process tailing a journal: prints {@code TAILING}, reads {@code count} events records as they are
 * appended by another process, writes their ids (one per line) to {@code out}, and exits 0.
 * Args: dir count out.
 */
public final class ChronicleTailMain {
    private ChronicleTailMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        try (ChronicleEventLog log = new ChronicleEventLog(Path.of(args[0]), ChronicleOptions.DEFAULTS);
             LogReader r = log.reader(Topic.EVENTS)) {
            System.out.println("TAILING");
            System.out.flush();
            List<String> ids = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ids.size() < count && System.nanoTime() < deadline) {
                for (LogEntry e : r.poll(Duration.ofMillis(100))) {
                    ids.add(e.offset() + " " + e.envelope().id());
                }
            }
            Files.write(Path.of(args[2]), ids, StandardCharsets.UTF_8);
        }
        System.exit(0);
    }
}
