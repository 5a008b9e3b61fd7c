package io.shardlb.bench;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A log that notes, on the monotonic clock, when the arbiter's reader returned each agent's newest beat and when
 * the arbiter handed each AgentDown to its writer: {@code failover-detect} uses them to say where the time goes.
 * It changes nothing it passes on.
 */
final class StampedLog implements EventLog {
    private final EventLog log;
    /** agent/incarnation -> monotonic time the arbiter's reader returned its newest beat. */
    final Map<String, Long> beatReadAt = new ConcurrentHashMap<>();
    /** agent/incarnation -> monotonic time the AgentDown was handed to the writer. */
    final Map<String, Long> downAppendedAt = new ConcurrentHashMap<>();

    StampedLog(EventLog log) {
        this.log = log;
    }

    static String key(String agent, long incarnation) {
        return agent + "/" + incarnation;
    }

    @Override
    public String describe() {
        return log.describe();
    }

    @Override
    public PlainWriter plainWriter(String writerId) {
        PlainWriter w = log.plainWriter(writerId);
        return new PlainWriter() {
            @Override
            public CompletableFuture<LogPosition> append(Outgoing record) {
                if (record.envelope().payload() instanceof Fact.AgentDown d) {
                    downAppendedAt.put(key(d.agent(), d.incarnation()), System.nanoTime());
                }
                return w.append(record);
            }

            @Override
            public void flush() {
                w.flush();
            }

            @Override
            public void close() {
                w.close();
            }
        };
    }

    @Override
    public FencedWriter fencedWriter(String transactionalId, String writerId) {
        return log.fencedWriter(transactionalId, writerId);
    }

    @Override
    public LogReader reader(Topic topic) {
        LogReader r = log.reader(topic);
        if (topic != Topic.HEARTBEATS) {
            return r;
        }
        return new LogReader() {
            @Override
            public List<LogEntry> poll(Duration timeout) {
                List<LogEntry> got = r.poll(timeout);
                long now = System.nanoTime();
                for (LogEntry e : got) {
                    Heartbeat hb = e.envelope().payload(Heartbeat.class);
                    beatReadAt.put(key(hb.agent(), hb.incarnation()), now);
                }
                return got;
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
        };
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
}
