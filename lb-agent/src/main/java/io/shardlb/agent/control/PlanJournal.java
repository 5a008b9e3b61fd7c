package io.shardlb.agent.control;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's local journal of the plan records it applied (Chronicle Queue), copied with their log offsets, so a
 * restarted agent programs its rules from disk before it reaches the log, and then continues the log where the
 * journal ends.
 */
final class PlanJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlanJournal.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final ChronicleEventLog journal;

    PlanJournal(Path dir) {
        this.journal = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
    }

    /**
     * Hands every journalled plan record to {@code apply}, in order; returns the offset after the last one (where
     * the log is to be continued), 0 for an empty journal.
     */
    long replay(Consumer<LogEntry> apply) {
        Map<Integer, Long> end = journal.endOffsets(Topic.PLAN);
        long next = end.getOrDefault(0, 0L);
        if (next == 0) {
            return 0;
        }
        try (LogReader r = journal.reader(Topic.PLAN)) {
            while (!r.hasReached(end)) {
                List<LogEntry> batch;
                try {
                    batch = r.poll(POLL);
                } catch (SchemaException e) {
                    LOG.warn("journal record unreadable, skipped: {}", e.getMessage());
                    r.seek(0, r.positions().getOrDefault(0, 0L) + 1);
                    continue;
                }
                batch.forEach(apply);
            }
        }
        return next;
    }

    /** Appends a record read from the log, keeping its offset. */
    void append(LogEntry entry) {
        journal.appendCopy(entry);
    }

    @Override
    public void close() {
        journal.close();
    }
}
