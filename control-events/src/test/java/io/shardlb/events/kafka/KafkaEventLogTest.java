package io.shardlb.events.kafka;

import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.EventLogContract;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The contract suite against a real broker ({@link KafkaFixture}). */
class KafkaEventLogTest extends EventLogContract {

    @Override
    protected EventLog open(String name, int heartbeatPartitions) {
        return new KafkaEventLog(KafkaFixture.bootstrap(), KafkaFixture.options(name)
                .withHeartbeatPartitions(heartbeatPartitions));
    }

    @Override
    protected boolean supportsFencing() {
        return true;
    }

    @Override
    protected void appendRaw(EventLog log, Topic topic, byte[] value) {
        KafkaEventLog k = (KafkaEventLog) log;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            p.send(new ProducerRecord<>(k.topicName(topic), 0, null, value)).get();
        } catch (Exception e) {
            throw new AssertionError("raw append failed", e);
        }
    }

    @Override
    protected KilledWriter startWriterMidBatch(EventLog log, String transactionalId, String tag, int committed,
                                               int open) {
        KafkaEventLog k = (KafkaEventLog) log;
        Path out;
        try {
            out = Files.createTempFile("mid-batch-writer", ".out");
            out.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm p = ChildJvm.start(MidBatchWriterMain.class.getName(), List.of(k.bootstrap(),
                k.options().topicPrefix(), transactionalId, tag, Integer.toString(committed), Integer.toString(open),
                Long.toString(KILLED_WRITER_TX_TIMEOUT.toMillis())), EmbeddedKafkaProcess.QUICK_START_JVM, "OPEN", out,
                WAIT);
        return p::kill;
    }

    @Override
    protected boolean hasOpenBatch(EventLog log, Topic topic) {
        KafkaEventLog k = (KafkaEventLog) log;
        TopicPartition tp = new TopicPartition(k.topicName(topic), 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrap()))) {
            long stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
            long high = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).partitionResult(tp).get().offset();
            return stable < high;
        } catch (Exception e) {
            throw new AssertionError("cannot list offsets of " + tp, e);
        }
    }
}
