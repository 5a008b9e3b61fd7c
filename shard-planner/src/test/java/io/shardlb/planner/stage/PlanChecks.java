package io.shardlb.planner.stage;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.LogReads;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.replay.PlanVerifier;
import io.shardlb.planner.replay.VerifyResult;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every stage test checks of a recorded log. */
final class PlanChecks {
    static final Duration WAIT = Duration.ofSeconds(60);

    private PlanChecks() {
    }

    /** Everything committed on {@code topic} now. */
    static List<LogEntry> readAll(EventLog log, Topic topic) {
        try (LogReader r = log.reader(topic)) {
            return LogReads.readToEnd(r, WAIT);
        }
    }

    /**
     * The plan verifies against the events, every fact was answered, and every fact offset is answered by at
     * most one batch: basedOn never goes back, and records with the same basedOn sit next to each other (one
     * Kafka transaction; a commit marker between two records separates batches).
     *
     * @return the verification result
     */
    static VerifyResult.Verified assertExactlyOnce(EventLog log) {
        List<LogEntry> events = readAll(log, Topic.EVENTS);
        List<LogEntry> plan = readAll(log, Topic.PLAN);
        VerifyResult result = PlanVerifier.verify(events, plan);
        VerifyResult.Verified ok = assertInstanceOf(VerifyResult.Verified.class, result, result.describe());
        assertEquals(0, ok.unanswered(), result.describe());
        LogEntry previous = null;
        for (LogEntry rec : plan) {
            assertInstanceOf(Decision.class, rec.envelope().payload());
            if (previous != null) {
                long before = previous.envelope().basedOn();
                long now = rec.envelope().basedOn();
                assertTrue(now >= before, "basedOn goes back at " + rec.position() + ": " + before + " -> " + now);
                assertTrue(now > before || rec.offset() == previous.offset() + 1,
                        "fact " + now + " answered by two batches: " + previous.position() + " and " + rec.position());
            }
            previous = rec;
        }
        return ok;
    }

    /** Waits until {@code appended} is readable by read_committed readers. */
    static void awaitCommitted(EventLog log, List<LogPosition> appended) {
        LogReads.awaitCommitted(log, appended, WAIT);
    }
}
