package io.shardlb.events.kafka;

import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent's beat writer ({@link KafkaEventLog#immediateWriter}) never holds its caller: once the producer has
 * lost every broker it bootstraps again and forgets where the partitions live, and a default producer's send would
 * then wait up to a minute for metadata, on the agent's beat thread, lease lock held. The immediate one fails the
 * beat's future at once instead.
 */
class KafkaImmediateWriterTest {
    /** Far below the minute a waiting send would take; far above a send that does not wait. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    private static final Duration BROKER_GONE_FOR = Duration.ofSeconds(20);

    @Test
    void appendsReturnAtOnceAndFailOnceEveryBrokerIsGone() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        try (KafkaEventLog log = new KafkaEventLog(kafka.bootstrap(), KafkaFixture.options("immediate"));
             PlainWriter writer = log.immediateWriter("agent-x")) {
            writer.warmUp(Topic.HEARTBEATS);
            writer.append(beat(0)).get(); // warmed up: the first beat does not fail for want of metadata

            kafka.close();
            long end = System.nanoTime() + BROKER_GONE_FOR.toNanos();
            boolean failedAtOnce = false;
            for (int seq = 1; !failedAtOnce && System.nanoTime() - end < 0; seq++) {
                long start = System.nanoTime();
                CompletableFuture<LogPosition> appended = writer.append(beat(seq));
                long took = System.nanoTime() - start;
                assertTrue(took < AT_ONCE.toNanos(), "append " + seq + " held its caller for " + took / 1_000_000
                        + " ms with the broker gone");
                failedAtOnce = appended.isCompletedExceptionally();
                Thread.sleep(100);
            }
            assertTrue(failedAtOnce, "no append failed at once within " + BROKER_GONE_FOR + " of the broker's end");
        } finally {
            kafka.close();
        }
    }

    private static Outgoing beat(int seq) {
        Heartbeat beat = new Heartbeat("agent-x", 1, seq, System.currentTimeMillis(), 1500, List.of(), false,
                "127.0.0.1:1");
        return new Outgoing(Topic.HEARTBEATS, 0, "agent-x", Envelope.of(beat, "agent-x"));
    }
}
