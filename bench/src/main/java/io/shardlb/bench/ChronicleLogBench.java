package io.shardlb.bench;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Chronicle journal's share of {@code log-append}: the same batches of 1,000 RuleSet records through the
 * journal's fenced writer, then every record read back with a reader from the start. Bounded in records and time.
 */
final class ChronicleLogBench {
    private static final long PHASE_NANOS = 15_000_000_000L;

    /** Appended and read rates, records/s. */
    record Rates(double append, double read, long records) {
    }

    private ChronicleLogBench() {
    }

    static Rates run(Path dir, List<Outgoing> pool, int max) {
        try (ChronicleEventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
             FencedWriter w = log.fencedWriter("bench-planner", "planner")) {
            w.init();
            append(w, pool, 50_000); // warm-up: JIT, the queue's first cycle file
            long before = log.endOffsets(Topic.PLAN).getOrDefault(0, 0L);
            long t0 = System.nanoTime();
            long done = append(w, pool, max);
            double appendRate = done / ((System.nanoTime() - t0) / 1e9);
            long total = before + done;
            try (LogReader r = log.reader(Topic.PLAN)) {
                Map<Integer, Long> end = Map.of(0, total);
                long read = 0;
                long t1 = System.nanoTime();
                while (!r.hasReached(end) && System.nanoTime() - t1 < PHASE_NANOS) {
                    List<LogEntry> got = r.poll(Duration.ofMillis(100));
                    read += got.size();
                }
                double readRate = read / ((System.nanoTime() - t1) / 1e9);
                return new Rates(appendRate, readRate, read);
            }
        }
    }

    private static long append(FencedWriter w, List<Outgoing> pool, int max) {
        int batch = 1000;
        long done = 0;
        long t0 = System.nanoTime();
        while (done < max && System.nanoTime() - t0 < PHASE_NANOS) {
            int from = (int) (done % (pool.size() - batch));
            w.append(pool.subList(from, from + batch));
            done += batch;
        }
        return done;
    }
}
