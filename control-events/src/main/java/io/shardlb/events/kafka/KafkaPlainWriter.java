package io.shardlb.events.kafka;

import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An idempotent producer without transactions: a writer killed at any point leaves nothing open, so it never
 * stalls a reader. The returned futures complete on the producer's I/O thread: keep callbacks short.
 */
public final class KafkaPlainWriter implements PlainWriter {
    /** How long {@link #warmUp} waits for the topic's metadata (the producer's default {@code max.block.ms}). */
    private static final long WARM_UP_NANOS = Duration.ofSeconds(60).toNanos();
    private static final long WARM_UP_RETRY_MS = 20;

    private final KafkaProducer<String, byte[]> producer;
    private final String prefix;
    private final String writerId;
    private final String compression;

    /** {@code maxWait}: how long an append may wait for metadata or buffer space; null for the producer's default. */
    KafkaPlainWriter(String bootstrap, LogOptions options, String writerId, Duration maxWait) {
        Map<String, Object> config = KafkaClients.plainProducer(bootstrap, options, writerId, maxWait);
        this.compression = String.valueOf(config.getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
        this.producer = new KafkaProducer<>(config);
        this.prefix = options.topicPrefix();
        this.writerId = writerId;
    }

    @Override
    public CompletableFuture<LogPosition> append(Outgoing record) {
        CompletableFuture<LogPosition> done = new CompletableFuture<>();
        try {
            producer.send(KafkaRecords.toProducerRecord(prefix, writerId, record), (md, err) -> {
                if (err == null) {
                    done.complete(KafkaRecords.position(record, md));
                } else {
                    done.completeExceptionally(new LogException("append to " + record.topic().suffix()
                            + " failed: " + err.getMessage(), err));
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            done.completeExceptionally(new LogException("append to " + record.topic().suffix() + " failed: "
                    + e.getMessage(), e));
        }
        return done;
    }

    /**
     * Fetches the topic's metadata, which connects the producer to the cluster (the producer id of idempotence is
     * requested by the producer's I/O thread meanwhile), and initialises the compression codec, which the first
     * batch would otherwise do in the caller's thread (lz4 loads a native library: measured 0.9 s on a loaded
     * 2-core machine). A beat sent afterwards carries none of that.
     */
    @Override
    public void warmUp(Topic topic) {
        try (OutputStream out = Compression.of(compression).build().wrapForOutput(new ByteBufferOutputStream(512),
                RecordBatch.CURRENT_MAGIC_VALUE)) {
            out.write(new byte[256]);
        } catch (IOException | RuntimeException e) {
            // the first batch will initialise it then
        }
        long end = System.nanoTime() + WARM_UP_NANOS;
        while (true) {
            try {
                producer.partitionsFor(topic.nameWith(prefix));
                return;
            } catch (TimeoutException e) {
                // a bounded writer's producer waits only so long for the metadata it asked for: wait on here
                if (System.nanoTime() - end > 0 || !pause()) {
                    return;
                }
            } catch (KafkaException e) {
                return; // not reachable: the next append reports it
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(WARM_UP_RETRY_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
