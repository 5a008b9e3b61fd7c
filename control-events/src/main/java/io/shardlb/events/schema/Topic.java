package io.shardlb.events.schema;

/** The logs of DESIGN.md and the payload hierarchy each one holds. */
public enum Topic {
    /** Facts: what was observed. One partition, total order, long retention. */
    EVENTS("events", Fact.class),
    /** Decisions: the planner's transactional batches. One partition, long retention. */
    PLAN("plan", Decision.class),
    /** Agent beats: liveness and holdings. Several partitions, short retention. */
    HEARTBEATS("heartbeats", Heartbeat.class),
    /** Stage images, chunked, compacted. */
    SNAPSHOTS("snapshots", SnapshotChunk.class);

    private final String suffix;
    private final Class<? extends Payload> payloadType;

    Topic(String suffix, Class<? extends Payload> payloadType) {
        this.suffix = suffix;
        this.payloadType = payloadType;
    }

    /** The topic's name without prefix, e.g. {@code events}. */
    public String suffix() {
        return suffix;
    }

    /** The topic's name with the configured prefix, e.g. {@code shardlb.events}. */
    public String nameWith(String prefix) {
        return prefix + suffix;
    }

    /** The payload hierarchy allowed on this topic. */
    public Class<? extends Payload> payloadType() {
        return payloadType;
    }

    /** Parses {@code events}, {@code plan}, … (case-insensitive). */
    public static Topic parse(String text) {
        for (Topic t : values()) {
            if (t.suffix.equalsIgnoreCase(text) || t.name().equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic: " + text + " (expected events, plan, heartbeats or snapshots)");
    }
}
