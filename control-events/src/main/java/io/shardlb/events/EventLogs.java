package io.shardlb.events;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogUri;

/** Opens an {@link EventLog} from its URI ({@code --log}). */
public final class EventLogs {
    private EventLogs() {
    }

    /** Opens {@code uri} with default options. */
    public static EventLog open(String uri) {
        return open(uri, LogOptions.defaults());
    }

    /**
     * Opens {@code uri}: {@code kafka://HOST:PORT[,HOST:PORT]} creates missing topics and returns a
     * {@link KafkaEventLog}; {@code chronicle:DIR} opens (or creates) a Chronicle journal there.
     *
     * @throws IllegalArgumentException for a malformed URI or an unsupported scheme
     */
    public static EventLog open(String uri, LogOptions options) {
        return switch (LogUri.parse(uri)) {
            case LogUri.Kafka k -> new KafkaEventLog(k.bootstrap(), options);
            case LogUri.Chronicle c -> new ChronicleEventLog(c.dir(), new ChronicleOptions(
                    ChronicleOptions.DEFAULTS.rollCycle(), 0, options.heartbeatPartitions()));
        };
    }
}
