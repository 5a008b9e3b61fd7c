package io.shardlb.events.log;

import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.Map;

/**
 * The log SPI: the logs of DESIGN.md (events, plan, heartbeats, snapshots) on some backend. Kafka is the
 * production backend; Chronicle Queue holds agent journals and offline copies. Every backend passes the same
 * contract suite (except fencing, which a single-writer backend declines with
 * {@link UnsupportedOperationException}).
 */
public interface EventLog extends AutoCloseable {

    /** A URI-like description of this log, e.g. {@code kafka://127.0.0.1:9092} or {@code chronicle:/var/lib/x}. */
    String describe();

    /** An idempotent, non-transactional writer named {@code writerId} (put in each envelope's writer field). */
    PlainWriter plainWriter(String writerId);

    /**
     * A plain writer whose {@code append} holds its caller at most {@code maxWait}: a record the log cannot take
     * by then (where its partition lives is not known, as after the connection to every broker was lost and
     * while a restarted broker catches up; the send buffer full) fails its future instead. For beats: the thread
     * that sends them must go on enforcing the lease while the log is out of reach, and a beat that waited a beat
     * interval is followed by the next at once. {@link PlainWriter#warmUp} may wait longer. Backends whose append
     * never waits return {@link #plainWriter(String)}.
     */
    default PlainWriter plainWriter(String writerId, Duration maxWait) {
        return plainWriter(writerId);
    }

    /**
     * A transactional writer for {@code transactionalId}. Call {@link FencedWriter#init()} before appending.
     *
     * @throws UnsupportedOperationException on single-writer backends
     */
    FencedWriter fencedWriter(String transactionalId, String writerId);

    /** A read_committed reader of every partition of {@code topic}, from the beginning. */
    LogReader reader(Topic topic);

    /** Number of partitions of {@code topic}. */
    int partitions(Topic topic);

    /** The end offset of each partition of {@code topic} (offset after the last committed record). */
    Map<Integer, Long> endOffsets(Topic topic);

    @Override
    void close();
}
