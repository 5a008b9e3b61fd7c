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
 * An agent's beat writer ({@link KafkaEventLog#plainWriter(String, Duration)}) holds its caller at most its bound:
 * once the producer has lost every broker it bootstraps again and forgets where the partitions live, and a default
 * producer's send would then wait up to a minute for metadata, on the agent's beat thread, lease lock held. The
 * bounded one fails the beat's future when its bound is up.
 */
class KafkaBoundedWriterTest {
    /** The agent's bound: its beat interval. */
    private static final Duration BOUND = Duration.ofMillis(200);
    /** Far below the minute an unbounded send would take; far above the bound plus scheduling. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    private static final Duration BROKER_GONE_FOR = Duration.ofSeconds(20);

    @Test
    void appendsReturnWithinTheirBoundAndFailOnceEveryBrokerIsGone() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        try (KafkaEventLog log = new KafkaEventLog(kafka.bootstrap(), KafkaFixture.options("bounded"));
             PlainWriter writer = log.plainWriter("agent-x", BOUND)) {
            writer.warmUp(Topic.HEARTBEATS);
            writer.append(beat(0)).get(); // warmed up: the first beat does not fail for want of metadata

            kafka.close();
            long end = System.nanoTime() + BROKER_GONE_FOR.toNanos();
            boolean failedInBound = false;
            for (int seq = 1; !failedInBound && System.nanoTime() - end < 0; seq++) {
                long start = System.nanoTime();
                CompletableFuture<LogPosition> appended = writer.append(beat(seq));
                long took = System.nanoTime() - start;
                assertTrue(took < AT_ONCE.toNanos(), "append " + seq + " held its caller for " + took / 1_000_000
                        + " ms with the broker gone");
                failedInBound = appended.isCompletedExceptionally();
                Thread.sleep(100);
            }
            assertTrue(failedInBound, "no append failed within its bound in " + BROKER_GONE_FOR + " of the broker's end");
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
