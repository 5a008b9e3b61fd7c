package io.shardlb.events.log;

import java.time.Duration;
import java.util.Map;

/**
 * How to open a log, validated once. A backend ignores what does not apply to it.
 *
 * @param topicPrefix          prefix of every topic name ({@code shardlb.} gives {@code shardlb.events}, …)
 * @param heartbeatPartitions  partitions of the heartbeats topic when it is created (each led by a different
 *                             broker where the cluster has several, every broker missing from at least one; on
 *                             3 brokers use 3, or 2 get one replica each)
 * @param heartbeatRetention   how long beats are kept
 * @param transactionTimeout   the fenced writer's transaction timeout: how long a writer that died inside a
 *                             batch can stall {@code plan} readers when no successor starts
 * @param clientProperties     extra Kafka client properties (TLS, SASL, tuning). A plain key goes to every
 *                             client; a key prefixed {@code producer.}, {@code consumer.} or {@code admin.} only
 *                             to that kind of client, without the prefix.
 */
public record LogOptions(String topicPrefix, int heartbeatPartitions, Duration heartbeatRetention,
                         Duration transactionTimeout, Map<String, String> clientProperties) {
    /** Default topic prefix. */
    public static final String DEFAULT_PREFIX = "shardlb.";

    public LogOptions {
        if (topicPrefix == null) {
            throw new IllegalArgumentException("topic prefix must not be null");
        }
        if (heartbeatPartitions < 1) {
            throw new IllegalArgumentException("heartbeat partitions must be >= 1: heartbeatPartitions="
                    + heartbeatPartitions);
        }
        if (heartbeatRetention.isNegative() || heartbeatRetention.isZero()) {
            throw new IllegalArgumentException("heartbeat retention must be positive: " + heartbeatRetention);
        }
        if (transactionTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("transaction timeout must be >= 1 s: " + transactionTimeout);
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /** Prefix {@code shardlb.}, 2 heartbeat partitions kept 1 h, 5 s transaction timeout, no extra properties. */
    public static LogOptions defaults() {
        return new LogOptions(DEFAULT_PREFIX, 2, Duration.ofHours(1), Duration.ofSeconds(5), Map.of());
    }

    public LogOptions withTopicPrefix(String prefix) {
        return new LogOptions(prefix, heartbeatPartitions, heartbeatRetention, transactionTimeout, clientProperties);
    }

    public LogOptions withHeartbeatPartitions(int n) {
        return new LogOptions(topicPrefix, n, heartbeatRetention, transactionTimeout, clientProperties);
    }

    public LogOptions withTransactionTimeout(Duration timeout) {
        return new LogOptions(topicPrefix, heartbeatPartitions, heartbeatRetention, timeout, clientProperties);
    }

    public LogOptions withClientProperties(Map<String, String> properties) {
        return new LogOptions(topicPrefix, heartbeatPartitions, heartbeatRetention, transactionTimeout, properties);
    }
}
