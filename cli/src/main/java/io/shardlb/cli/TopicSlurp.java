package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole topic as it stood when the read began: up to the end offsets fetched at the start (a live log
 * keeps growing; a replay answers for a fixed prefix of it). Gives up with a {@link UserError} when the log
 * stops answering for a minute.
 */
final class TopicSlurp {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALL = Duration.ofSeconds(60);

    private TopicSlurp() {
    }

    /** Every committed record of {@code topic} (offset order per partition) up to its end at the call. */
    static List<LogEntry> readAll(EventLog log, Topic topic) {
        List<LogEntry> out = new ArrayList<>();
        try (LogReader reader = log.reader(topic)) {
            Map<Integer, Long> end = reader.endOffsets();
            long lastProgress = System.nanoTime();
            while (!reader.hasReached(end)) {
                List<LogEntry> got = reader.poll(POLL);
                for (LogEntry e : got) {
                    if (e.offset() < end.getOrDefault(e.partition(), 0L)) {
                        out.add(e);
                    }
                }
                if (!got.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new UserError(log.describe() + ": " + topic.suffix() + " not read to its end " + end
                            + " (stuck at " + reader.positions() + " for " + STALL.toSeconds() + " s)");
                }
            }
        }
        return out;
    }
}
