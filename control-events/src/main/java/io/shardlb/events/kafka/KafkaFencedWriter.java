package io.shardlb.events.kafka;

import io.shardlb.events.log.FencedException;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A transactional producer: one Kafka transaction per {@link #append}, possibly spanning topics. Once fenced
 * (or after an error it cannot abort) it is closed for good and every further append fails the same way:
 * the caller must stop deciding and, if it still should write, start a new writer.
 *
 * <p>{@link #append} returns once the transaction is committed; read_committed readers see it moments later,
 * when the broker has written the commit markers (Kafka does that after the commit returns).
 */
public final class KafkaFencedWriter implements FencedWriter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFencedWriter.class);

    private final String bootstrap;
    private final LogOptions options;
    private final String transactionalId;
    private final String writerId;
    private KafkaProducer<String, byte[]> producer;
    private RuntimeException broken;

    KafkaFencedWriter(String bootstrap, LogOptions options, String transactionalId, String writerId) {
        this.bootstrap = bootstrap;
        this.options = options;
        this.transactionalId = transactionalId;
        this.writerId = writerId;
    }

    @Override
    public synchronized void init() {
        if (producer != null || broken != null) {
            throw new IllegalStateException("fenced writer " + transactionalId + " is already initialised");
        }
        producer = new KafkaProducer<>(KafkaClients.fencedProducer(bootstrap, options, transactionalId));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            broken = new LogException("cannot claim transactional id " + transactionalId + ": " + e.getMessage(), e);
            throw broken;
        }
    }

    @Override
    public synchronized List<LogPosition> append(List<Outgoing> records) {
        if (broken != null) {
            throw broken;
        }
        if (producer == null) {
            throw new IllegalStateException("call init() before append(): " + transactionalId);
        }
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (Outgoing r : records) {
                acks.add(producer.send(KafkaRecords.toProducerRecord(options.topicPrefix(), writerId, r)));
            }
            producer.commitTransaction();
            List<LogPosition> positions = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                positions.add(KafkaRecords.position(records.get(i), acks.get(i).get()));
            }
            return positions;
        } catch (ExecutionException e) {
            throw fail(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(e);
        } catch (KafkaException | IllegalStateException e) {
            throw fail(e);
        }
    }

    /** Classifies a failed batch: fenced (writer closed for good) or other (batch aborted, writer usable). */
    private RuntimeException fail(Throwable e) {
        if (isFenced(e)) {
            broken = new FencedException("writer " + writerId + " (transactional id " + transactionalId
                    + ") was fenced by a newer writer; nothing of its batch is visible", e);
            closeProducer();
            return broken;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException abortFailed) {
            if (isFenced(abortFailed)) {
                return fail(abortFailed);
            }
            broken = new LogException("batch failed and could not be aborted; writer " + transactionalId
                    + " is closed: " + e.getMessage(), e);
            closeProducer();
            return broken;
        }
        return new LogException("batch failed and was aborted (nothing of it is visible): " + e.getMessage(), e);
    }

    private static boolean isFenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void closeProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing fenced producer {} failed", transactionalId, e);
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null && broken == null) {
            producer.close(Duration.ofSeconds(10));
        }
        broken = broken != null ? broken : new LogException("fenced writer " + transactionalId + " is closed");
    }
}
