package io.shardlb.events.chronicle;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one topic of a Chronicle journal. A seek rewinds the tailer and skips records below the requested
 * offsets: linear in the journal's size, which is fine for journals and audit copies (measured in
 * {@code bench/run log-append}).
 */
final class ChronicleReader implements LogReader {
    private static final int MAX_BATCH = 4096;

    private final ChronicleQueue queue;
    private final Topic topic;
    private final int partitions;
    private final String where;
    private final Map<Integer, Long> positions = new HashMap<>();
    private ExcerptTailer tailer;

    ChronicleReader(ChronicleQueue queue, Topic topic, int partitions, String where) {
        this.queue = queue;
        this.topic = topic;
        this.partitions = partitions;
        this.where = where;
        this.tailer = queue.createTailer();
        for (int p = 0; p < partitions; p++) {
            positions.put(p, 0L);
        }
    }

    @Override
    public List<LogEntry> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LogEntry> out = new ArrayList<>();
        while (true) {
            readAvailable(out);
            if (!out.isEmpty() || System.nanoTime() - deadline >= 0) {
                return out;
            }
            LockSupport.parkNanos(1_000_000);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return out;
            }
        }
    }

    private void readAvailable(List<LogEntry> out) {
        while (out.size() < MAX_BATCH) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return;
                }
                String at = where + "@" + Long.toHexString(dc.index());
                for (ExcerptCodec.Stored s : ExcerptCodec.read(dc.wire().bytes(), at)) {
                    if (s.topic() != topic || s.offset() < positions.getOrDefault(s.partition(), 0L)) {
                        continue;
                    }
                    String position = topic.suffix() + "/" + s.partition() + "@" + s.offset();
                    try {
                        out.add(new LogEntry(topic, s.partition(), s.offset(),
                                RecordCodec.decode(s.wire(), topic, s.logTime(), position)));
                    } catch (SchemaException e) {
                        // Never a skip: stay on this excerpt, hand out what came before, then fail on every poll
                        // until the caller seeks past the record.
                        dc.rollbackOnClose();
                        if (out.isEmpty()) {
                            throw e;
                        }
                        return;
                    }
                    positions.put(s.partition(), s.offset() + 1);
                }
            }
        }
    }

    @Override
    public void seek(int partition, long offset) {
        if (partition < 0 || partition >= partitions) {
            throw new LogException("no partition " + partition + " in " + topic.suffix() + " (has " + partitions + ")");
        }
        positions.put(partition, offset);
        tailer.close();
        tailer = queue.createTailer();
    }

    @Override
    public void seekToEnd() {
        positions.putAll(endOffsets());
        tailer.toEnd();
    }

    @Override
    public Map<Integer, Long> positions() {
        return Map.copyOf(positions);
    }

    @Override
    public Map<Integer, Long> endOffsets() {
        return ChronicleEventLog.endOffsets(queue, topic, partitions, where);
    }

    @Override
    public void close() {
        tailer.close();
    }
}
