package io.shardlb.events.log;

import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Topic;

/**
 * A record to append.
 *
 * @param topic     target topic
 * @param partition target partition, or {@link #ANY_PARTITION} to let the key decide (single-partition topics: 0)
 * @param key       record key ("" for none); on the compacted {@code snapshots} topic the key decides what is kept
 * @param envelope  the record
 */
public record Outgoing(Topic topic, int partition, String key, Envelope envelope) {
    /** Let the backend choose the partition from the key. */
    public static final int ANY_PARTITION = -1;

    public Outgoing {
        key = key == null ? "" : key;
    }

    /** A record for {@code topic} with no key and no chosen partition. */
    public static Outgoing to(Topic topic, Envelope envelope) {
        return new Outgoing(topic, ANY_PARTITION, "", envelope);
    }
}
