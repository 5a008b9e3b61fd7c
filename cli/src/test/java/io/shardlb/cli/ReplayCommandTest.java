package io.shardlb.cli;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Topic;
import io.shardlb.events.EventLogs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shardlb replay} over a journal the planner stage recorded (no broker needed). */
class ReplayCommandTest {
    @TempDir
    static Path root;
    static String uri;

    @BeforeAll
    static void recordADay() {
        uri = "chronicle:" + root.resolve("day");
        try (EventLog log = EventLogs.open(uri)) {
            RecordedLog.record(log);
        }
    }

    @Test
    void verifyPrintsHowManyDecisionsOverHowManyFactsAndExitsZero() {
        RecordedLog.Run run = RecordedLog.cli("replay", "--verify", "--log", uri);
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().matches("verified [1-9]\\d* decisions over " + RecordedLog.day().size()
                + " facts\\R"), run.out());
    }

    @Test
    void anAlteredDecisionExitsOneAndNamesIt() {
        String copy = "chronicle:" + root.resolve("tampered");
        Decision.ServicePlaced altered;
        long alteredAt;
        try (EventLog source = EventLogs.open(uri);
             ChronicleEventLog target = (ChronicleEventLog) EventLogs.open(copy)) {
            TopicSlurp.readAll(source, Topic.EVENTS).forEach(target::appendCopy);
            List<LogEntry> plan = TopicSlurp.readAll(source, Topic.PLAN);
            LogEntry victim = plan.stream().filter(e -> e.envelope().payload() instanceof Decision.ServicePlaced)
                    .reduce((a, b) -> b).orElseThrow();
            Decision.ServicePlaced placed = (Decision.ServicePlaced) victim.envelope().payload();
            altered = new Decision.ServicePlaced(placed.service(),
                    placed.instance().equals("default") ? "llb-inst2" : "default");
            alteredAt = victim.offset();
            for (LogEntry e : plan) {
                Envelope env = e.envelope();
                target.appendCopy(e != victim ? e : new LogEntry(e.topic(), e.partition(), e.offset(),
                        new Envelope(env.schemaVersion(), null, env.id(), env.logTime(), env.writer(),
                                env.basedOn(), altered)));
            }
        }
        RecordedLog.Run run = RecordedLog.cli("replay", "--verify", "--log", copy);
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().startsWith("divergence at plan offset " + alteredAt + " "), run.out());
        assertTrue(run.out().contains("recorded: ServicePlaced " + altered), run.out());
    }

    @Test
    void serviceTellsTheDecisionsAboutOneServiceWithTheirCauses() {
        RecordedLog.Run run = RecordedLog.cli("replay", "--service", RecordedLog.SERVICE, "--log", uri);
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertFalse(lines.isEmpty());
        assertTrue(lines.stream().allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .+: .+")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains(RecordedLog.SERVICE + " ") && l.contains("llb-inst1")),
                run.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("llb-inst1 master")),
                run.out());
        assertTrue(lines.stream().noneMatch(l -> l.contains("team-b/api")), run.out());
    }

    @Test
    void atShowsTheHaAndServiceTablesAsTheyStoodThen() {
        RecordedLog.Run now = RecordedLog.cli("replay", "--at", Instant.now().plusSeconds(60).toString(),
                "--log", uri);
        assertEquals(0, now.exit(), now.err());
        assertTrue(now.out().contains("INSTANCE") && now.out().contains("SERVICE"), now.out());
        assertTrue(now.out().contains("llb-inst1") && now.out().contains(RecordedLog.SERVICE), now.out());
        assertFalse(now.out().contains("team-b/api"), "deleted by then: " + now.out());

        RecordedLog.Run before = RecordedLog.cli("replay", "--at", "2000-01-01T00:00:00Z", "--log", uri);
        assertEquals(0, before.exit(), before.err());
        assertFalse(before.out().contains(RecordedLog.SERVICE), before.out());
    }

    @Test
    void aBadTimeOrNoQuestionIsAUsageError() {
        assertEquals(2, RecordedLog.cli("replay", "--at", "yesterday", "--log", uri).exit());
        assertEquals(2, RecordedLog.cli("replay", "--log", uri).exit());
        assertEquals(2, RecordedLog.cli("replay", "--service", "no-namespace", "--log", uri).exit());
    }
}
