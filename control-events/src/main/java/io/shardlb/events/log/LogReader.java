package io.shardlb.events.log;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads one topic, all its partitions, in order per partition, committed records only (read_committed). A new
 * reader starts at the beginning of every partition.
 */
public interface LogReader extends AutoCloseable {

    /** Next records, waiting up to {@code timeout} when none are available; an empty list when none came. */
    List<LogEntry> poll(Duration timeout);

    /** Continues {@code partition} from {@code offset} (the offset of the next record to read). */
    void seek(int partition, long offset);

    /** Continues every partition from its current end. */
    void seekToEnd();

    /** The offset of the next record to read, per partition. */
    Map<Integer, Long> positions();

    /**
     * The end offsets fetched now (the offset after the last committed record), per partition. A reader whose
     * positions reach these has read everything committed before the call.
     */
    Map<Integer, Long> endOffsets();

    /**
     * Whether this reader has read everything before {@code end} (e.g. {@link #endOffsets()} fetched earlier)
     * in every partition it names.
     */
    default boolean hasReached(Map<Integer, Long> end) {
        Map<Integer, Long> pos = positions();
        return end.entrySet().stream().allMatch(e -> pos.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    @Override
    void close();
}
