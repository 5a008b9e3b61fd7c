package io.shardlb.events.log;

import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backend hooks of the contract, and the case of a fenced writer killed with -9 inside a batch: a reader
 * of that topic sees none of the batch, readers of other topics are not held up, and a new writer's
 * {@link FencedWriter#init()} ends the wait at once (long before the dead writer's transaction timeout).
 */
public abstract class FencingContract {
    /** Generous waits: a loaded 2-core machine must pass. */
    protected static final Duration WAIT = Duration.ofSeconds(60);
    protected static final Duration POLL = Duration.ofMillis(200);
    /** The killed writer's transaction timeout: the stall a successor must end long before. */
    protected static final Duration KILLED_WRITER_TX_TIMEOUT = Duration.ofSeconds(90);

    /** A fresh log (own topic names) with {@code heartbeatPartitions} heartbeat partitions. */
    protected abstract EventLog open(String name, int heartbeatPartitions);

    protected EventLog open(String name) {
        return open(name, 2);
    }

    /** Whether the backend has fenced writers; {@code false} skips the fencing cases. */
    protected abstract boolean supportsFencing();

    /** Appends raw bytes (not necessarily a valid record) to partition 0 of {@code topic}. */
    protected abstract void appendRaw(EventLog log, Topic topic, byte[] value);

    /**
     * Starts a fenced writer for {@code transactionalId} in another process with transaction timeout
     * {@link #KILLED_WRITER_TX_TIMEOUT}; it commits {@code committed} plan records {@code tag-0…}, then opens a
     * batch, appends {@code open} more ({@code tag-committed…}) and waits; returns once those are in the log.
     */
    protected abstract KilledWriter startWriterMidBatch(EventLog log, String transactionalId, String tag,
                                                        int committed, int open);

    /** Whether {@code topic} holds records of a batch neither committed nor aborted. */
    protected abstract boolean hasOpenBatch(EventLog log, Topic topic);

    /** A writer process to kill. */
    public interface KilledWriter {
        /** Kills the process with SIGKILL and waits until it is gone. */
        void kill();
    }

    @Test
    void aWriterKilledInsideABatchStallsOnlyItsTopicUntilASuccessorStarts() {
        assumeTrue(supportsFencing(), "backend has no fenced writer");
        try (EventLog log = open("killed"); PlainWriter facts = log.plainWriter("kube-bridge");
             LogReader plan = log.reader(Topic.PLAN); LogReader events = log.reader(Topic.EVENTS)) {
            startWriterMidBatch(log, "planner", "dead", 10, 5).kill();
            assertTrue(hasOpenBatch(log, Topic.PLAN), "the dead writer's batch is still open");

            List<String> committed = LogReads.readFor(plan, Duration.ofSeconds(2)).stream()
                    .map(e -> e.envelope().id()).toList();
            assertEquals(SampleRecords.rules("dead", 0, 10).stream().map(o -> o.envelope().id()).toList(), committed,
                    "the committed batch, and nothing of the open one");

            // Facts flow meanwhile: the open plan batch holds up no other topic.
            for (int i = 0; i < 100; i++) {
                facts.append(SampleRecords.fact("fact", i));
            }
            facts.flush();
            assertEquals(100, LogReads.readCount(events, 100, WAIT).size());
            assertTrue(hasOpenBatch(log, Topic.PLAN), "still open while the facts were read");

            long t0 = System.nanoTime();
            try (FencedWriter successor = log.fencedWriter("planner", "planner-2")) {
                successor.init();
                successor.append(SampleRecords.rules("next", 0, 3));
            }
            List<String> after = LogReads.readCount(plan, 3, WAIT).stream().map(e -> e.envelope().id()).toList();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LoggerFactory.getLogger(FencingContract.class).info("successor ended the stall in {} ms", took.toMillis());
            assertEquals(List.of("next-0", "next-1", "next-2"), after, "none of the dead writer's open batch");
            assertTrue(took.compareTo(KILLED_WRITER_TX_TIMEOUT.dividedBy(3)) < 0,
                    "the successor ended the stall at once, not at the transaction timeout: took " + took);
            assertTrue(!hasOpenBatch(log, Topic.PLAN), "no batch left open");
        }
    }
}
