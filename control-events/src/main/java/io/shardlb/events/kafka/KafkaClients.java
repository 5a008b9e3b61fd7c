package io.shardlb.events.kafka;

import io.shardlb.events.log.LogOptions;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The properties of every Kafka client of the log, in one place: what DESIGN.md requires (idempotence,
 * acks=all, read_committed, short transactions) first, then the caller's extra properties.
 */
final class KafkaClients {
    private KafkaClients() {
    }

    static Map<String, Object> admin(String bootstrap, LogOptions options) {
        Map<String, Object> p = base(bootstrap, "shardlb-admin");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return extra(p, options, "admin.");
    }

    /** Facts and beats: idempotent (no duplicates, order kept per partition), not transactional. */
    static Map<String, Object> plainProducer(String bootstrap, LogOptions options, String writerId,
                                             Duration maxWait) {
        Map<String, Object> p = producerBase(bootstrap, "shardlb-plain-" + writerId);
        // A beat must not wait for company: send almost at once.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        if (maxWait != null) {
            // send() otherwise waits up to a minute for metadata, which a producer drops when it loses every
            // broker (it bootstraps again): a beat thread would stop there, lease lock held.
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxWait.toMillis()));
        }
        return extra(p, options, "producer.");
    }

    /**
     * The planner's producer: a transaction per batch; a new one with the same id fences the old. The id carries
     * the topic prefix, so two installs sharing one Kafka never fence each other's planner.
     */
    static Map<String, Object> fencedProducer(String bootstrap, LogOptions options, String transactionalId) {
        String scoped = options.topicPrefix() + transactionalId;
        Map<String, Object> p = producerBase(bootstrap, "shardlb-fenced-" + scoped);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, scoped);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) options.transactionTimeout().toMillis());
        // Records of a batch go out while it is still being built (commit flushes the rest); a short linger
        // measured better than 0 or 5 ms for batches of 10 and 100 on a 2-core machine.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return extra(p, options, "producer.");
    }

    static Map<String, Object> reader(String bootstrap, LogOptions options, String topic) {
        Map<String, Object> p = base(bootstrap, "shardlb-reader-" + topic);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return extra(p, options, "consumer.");
    }

    private static Map<String, Object> producerBase(String bootstrap, String clientId) {
        Map<String, Object> p = base(bootstrap, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    private static Map<String, Object> base(String bootstrap, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** Adds the caller's properties: un-prefixed ones to every client, {@code kind}-prefixed ones to this kind. */
    private static Map<String, Object> extra(Map<String, Object> p, LogOptions options, String kind) {
        for (Map.Entry<String, String> e : options.clientProperties().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(kind)) {
                p.put(k.substring(kind.length()), e.getValue());
            } else if (!k.startsWith("producer.") && !k.startsWith("consumer.") && !k.startsWith("admin.")) {
                p.put(k, e.getValue());
            }
        }
        return p;
    }
}
