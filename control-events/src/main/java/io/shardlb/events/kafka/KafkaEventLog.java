package io.shardlb.events.kafka;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The log on Kafka: one topic per {@link Topic}, named with the configured prefix, created on open if absent
 * (see {@code KafkaTopics} for their configs). Writers and readers get their own clients; this object holds
 * only an admin client and is thread-safe.
 */
public final class KafkaEventLog implements EventLog {
    private final String bootstrap;
    private final LogOptions options;
    private final Admin admin;
    private final Map<Topic, Integer> partitions;

    /** Connects to {@code bootstrap} ({@code host:port,…}) and creates missing topics. */
    public KafkaEventLog(String bootstrap, LogOptions options) {
        this.bootstrap = bootstrap;
        this.options = options;
        this.admin = Admin.create(KafkaClients.admin(bootstrap, options));
        try {
            this.partitions = KafkaTopics.ensure(admin, options);
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    /** The options this log was opened with. */
    public LogOptions options() {
        return options;
    }

    /** The bootstrap servers. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The full Kafka topic name of {@code topic}. */
    public String topicName(Topic topic) {
        return topic.nameWith(options.topicPrefix());
    }

    @Override
    public String describe() {
        return "kafka://" + bootstrap + " (prefix " + options.topicPrefix() + ")";
    }

    @Override
    public KafkaPlainWriter plainWriter(String writerId) {
        return new KafkaPlainWriter(bootstrap, options, writerId, null);
    }

    /** A plain writer whose producer blocks a send at most {@code maxWait} ({@code max.block.ms}). */
    @Override
    public KafkaPlainWriter plainWriter(String writerId, Duration maxWait) {
        return new KafkaPlainWriter(bootstrap, options, writerId, maxWait);
    }

    @Override
    public FencedWriter fencedWriter(String transactionalId, String writerId) {
        return new KafkaFencedWriter(bootstrap, options, transactionalId, writerId);
    }

    @Override
    public LogReader reader(Topic topic) {
        return new KafkaLogReader(bootstrap, options, topic);
    }

    @Override
    public int partitions(Topic topic) {
        return partitions.get(topic);
    }

    /** The last stable offset of each partition: nothing at or after it is committed yet. */
    @Override
    public Map<Integer, Long> endOffsets(Topic topic) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            request.put(new TopicPartition(topicName(topic), p), OffsetSpec.latest());
        }
        try {
            Map<Integer, Long> end = new TreeMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp.partition(), info.offset()));
            return end;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new LogException("cannot fetch end offsets of " + topicName(topic) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while fetching end offsets", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
