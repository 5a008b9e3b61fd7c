package io.shardlb.events.kafka;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read_committed consumer of every partition of one topic, without a consumer group (positions are the
 * caller's to keep). A record that does not decode is never skipped: {@link #poll} returns what came before
 * it, then throws {@link SchemaException} at it on every later call until the caller seeks past it. Not
 * thread-safe: one reader per thread.
 */
public final class KafkaLogReader implements LogReader {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic topic;
    private final List<TopicPartition> partitions;
    /** Fetched but not yet returned, in fetch order (per partition in offset order). */
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();

    KafkaLogReader(String bootstrap, LogOptions options, Topic topic) {
        String name = topic.nameWith(options.topicPrefix());
        this.consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrap, options, name));
        this.topic = topic;
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(name, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new LogException("topic " + name + " does not exist");
            }
            this.partitions = infos.stream().map(i -> new TopicPartition(name, i.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            throw new LogException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<LogEntry> poll(Duration timeout) {
        if (pending.isEmpty()) {
            try {
                consumer.poll(timeout).forEach(pending::add);
            } catch (KafkaException e) {
                throw new LogException("reading " + topic.suffix() + " failed: " + e.getMessage(), e);
            }
        }
        List<LogEntry> out = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            ConsumerRecord<byte[], byte[]> r = pending.peekFirst();
            Envelope e;
            try {
                e = RecordCodec.decode(r.value(), topic, r.timestamp(),
                        topic.suffix() + "/" + r.partition() + "@" + r.offset());
            } catch (SchemaException ex) {
                if (out.isEmpty()) {
                    throw ex;
                }
                return out;
            }
            pending.removeFirst();
            out.add(new LogEntry(topic, r.partition(), r.offset(), e));
        }
        return out;
    }

    @Override
    public void seek(int partition, long offset) {
        TopicPartition tp = partition(partition);
        pending.removeIf(r -> r.partition() == partition);
        consumer.seek(tp, offset);
    }

    @Override
    public void seekToEnd() {
        pending.clear();
        consumer.seekToEnd(partitions);
        // resolve now, so records appended after this call are read
        partitions.forEach(consumer::position);
    }

    @Override
    public Map<Integer, Long> positions() {
        Map<Integer, Long> pos = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            pos.put(tp.partition(), consumer.position(tp));
        }
        // Fetched but not returned records are still to be read: the first of each partition is its position.
        for (var it = pending.descendingIterator(); it.hasNext(); ) {
            ConsumerRecord<byte[], byte[]> r = it.next();
            pos.put(r.partition(), r.offset());
        }
        return pos;
    }

    @Override
    public Map<Integer, Long> endOffsets() {
        Map<Integer, Long> end = new TreeMap<>();
        // read_committed: these are the last stable offsets, the end of what this reader can see
        consumer.endOffsets(partitions, Duration.ofSeconds(30)).forEach((tp, o) -> end.put(tp.partition(), o));
        return end;
    }

    private TopicPartition partition(int p) {
        if (p < 0 || p >= partitions.size()) {
            throw new IllegalArgumentException("no partition " + p + " in " + topic.suffix() + " (it has "
                    + partitions.size() + ")");
        }
        return partitions.get(p);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
