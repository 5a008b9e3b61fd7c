package io.shardlb.events.schema;

/**
 * What an agent holds, as carried in its heartbeat: the VIPs of {@code instance} under {@code term}.
 */
public record Holding(String instance, long term) {
    public Holding {
        instance = Values.str(instance);
    }

    @Override
    public String toString() {
        return instance + "@" + term;
    }
}
