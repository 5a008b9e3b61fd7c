package io.shardlb.arbiter.broker;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A real log whose {@code heartbeats} readers the test can pause: a paused reader returns nothing and its
 * positions stay put, exactly like a consumer that has fallen behind, while the end offsets still move on.
 */
final class PausableLog implements EventLog {
    private final EventLog log;
    private volatile boolean paused;

    PausableLog(EventLog log) {
        this.log = log;
    }

    void pause(boolean value) {
        paused = value;
    }

    @Override
    public String describe() {
        return log.describe() + " (pausable heartbeats)";
    }

    @Override
    public PlainWriter plainWriter(String writerId) {
        return log.plainWriter(writerId);
    }

    @Override
    public FencedWriter fencedWriter(String transactionalId, String writerId) {
        return log.fencedWriter(transactionalId, writerId);
    }

    @Override
    public LogReader reader(Topic topic) {
        LogReader r = log.reader(topic);
        return topic == Topic.HEARTBEATS ? new Reader(r) : r;
    }

    @Override
    public int partitions(Topic topic) {
        return log.partitions(topic);
    }

    @Override
    public Map<Integer, Long> endOffsets(Topic topic) {
        return log.endOffsets(topic);
    }

    @Override
    public void close() {
        log.close();
    }

    private final class Reader implements LogReader {
        private final LogReader r;

        Reader(LogReader r) {
            this.r = r;
        }

        @Override
        public List<LogEntry> poll(Duration timeout) {
            if (paused) {
                LockSupport.parkNanos(timeout.toNanos());
                return List.of();
            }
            return r.poll(timeout);
        }

        @Override
        public void seek(int partition, long offset) {
            r.seek(partition, offset);
        }

        @Override
        public void seekToEnd() {
            r.seekToEnd();
        }

        @Override
        public Map<Integer, Long> positions() {
            return r.positions();
        }

        @Override
        public Map<Integer, Long> endOffsets() {
            return r.endOffsets();
        }

        @Override
        public void close() {
            r.close();
        }
    }
}
