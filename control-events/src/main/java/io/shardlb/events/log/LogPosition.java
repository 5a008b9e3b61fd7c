package io.shardlb.events.log;

import io.shardlb.events.schema.Topic;

/** Where an appended record landed. */
public record LogPosition(Topic topic, int partition, long offset, long logTime) {

    static String describe(Topic topic, int partition, long offset) {
        return topic.suffix() + "/" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return describe(topic, partition, offset);
    }
}
