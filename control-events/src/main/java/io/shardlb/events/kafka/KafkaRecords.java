package io.shardlb.events.kafka;

import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RecordCodec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Turns {@link Outgoing} records into Kafka records and acknowledgements into {@link LogPosition}s. */
final class KafkaRecords {
    private KafkaRecords() {
    }

    /**
     * The Kafka record for {@code out}: the envelope gets {@code writerId} as its writer when it names none,
     * no key when the key is empty, and the partition the caller chose (or the key's partitioner's).
     */
    static ProducerRecord<String, byte[]> toProducerRecord(String prefix, String writerId, Outgoing out) {
        Envelope e = out.envelope();
        if (e.writer().isEmpty()) {
            e = new Envelope(e.schemaVersion(), e.type(), e.id(), e.logTime(), writerId, e.basedOn(), e.payload());
        }
        Integer partition = out.partition() == Outgoing.ANY_PARTITION ? null : out.partition();
        String key = out.key().isEmpty() ? null : out.key();
        return new ProducerRecord<>(out.topic().nameWith(prefix), partition, key, RecordCodec.encode(e));
    }

    static LogPosition position(Outgoing out, RecordMetadata md) {
        return new LogPosition(out.topic(), md.partition(), md.offset(), md.timestamp());
    }
}
