package io.shardlb.events.log;

import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Topic;

/**
 * A record as read from a log: where it sits and what it says. The envelope's {@code logTime} is the log's.
 */
public record LogEntry(Topic topic, int partition, long offset, Envelope envelope) {

    /** The log time of this record (epoch ms). */
    public long logTime() {
        return envelope.logTime();
    }

    /** {@code topic/partition@offset}, as used in error messages. */
    public String position() {
        return LogPosition.describe(topic, partition, offset);
    }
}
