package io.shardlb.planner.stage;

import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.replay.PlanVerifier;
import io.shardlb.planner.replay.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two planners told they are active: the log fences the stale one; a tampered plan is caught by replay. */
class PlannerStageFencingTest {
    private static final PlannerStage.Options OPTIONS = new PlannerStage.Options(7, Duration.ofMillis(100));

    @Test
    void theStaleReplicaIsFencedAndStopsWhileTheOtherContinuesWithoutGapOrDuplicate() {
        try (KafkaEventLog log = KafkaFixture.open("planner-fence");
             PlainWriter bridge = log.plainWriter("feeder");
             PlannerStage first = new PlannerStage(log, new LogSnapshotStore(log), OPTIONS);
             PlannerStage second = new PlannerStage(log, new LogSnapshotStore(log), OPTIONS)) {
            FactFeed feed = new FactFeed(42);
            LogPosition at = feed(bridge, feed.opening());
            at = feed(bridge, facts(feed, 40));
            first.activate();
            answerThrough(first, at.offset());
            PlanChecks.awaitCommitted(log, first.lastAppended());

            second.activate(); // a bad election: both believe they are active
            // facts that decided nothing since the last batch are answered again (they decide nothing again)
            assertTrue(second.answered() <= first.answered(), "the new one starts where the old one's batches end");
            LogPosition more = feed(bridge, List.of(service("default/after-fence")));
            PlanChecks.awaitCommitted(log, List.of(more));
            StageStoppedException stopped = assertThrows(StageStoppedException.class, () -> answerThrough(first,
                    more.offset()));
            assertTrue(stopped.getMessage().contains("fenced"), stopped.getMessage());
            assertTrue(first.stopped());
            assertThrows(StageStoppedException.class, first::doWork, "a stopped stage stays stopped");

            LogPosition last = feed(bridge, facts(feed, 30));
            answerThrough(second, last.offset());
            PlanChecks.awaitCommitted(log, second.lastAppended());
            VerifyResult.Verified ok = PlanChecks.assertExactlyOnce(log);
            assertTrue(ok.decisions() > 0, ok.describe());
        }
    }

    @Test
    void aRecordedDecisionAlteredIsTheDivergenceReplayReports() {
        try (KafkaEventLog log = KafkaFixture.open("planner-tamper");
             PlainWriter bridge = log.plainWriter("feeder");
             PlannerStage stage = new PlannerStage(log, new LogSnapshotStore(log), OPTIONS)) {
            FactFeed feed = new FactFeed(7);
            feed(bridge, feed.opening());
            LogPosition last = feed(bridge, facts(feed, 60));
            stage.activate();
            answerThrough(stage, last.offset());
            PlanChecks.awaitCommitted(log, stage.lastAppended());
            List<LogEntry> events = PlanChecks.readAll(log, Topic.EVENTS);
            List<LogEntry> plan = new ArrayList<>(PlanChecks.readAll(log, Topic.PLAN));
            int victim = -1;
            for (int i = 0; i < plan.size(); i++) {
                if (plan.get(i).envelope().payload() instanceof Decision.ServicePlaced) {
                    victim = i;
                }
            }
            assertTrue(victim >= 0, "the run placed no Service");
            LogEntry original = plan.get(victim);
            Decision.ServicePlaced placed = (Decision.ServicePlaced) original.envelope().payload();
            Decision.ServicePlaced altered = new Decision.ServicePlaced(placed.service(),
                    placed.instance().equals("default") ? "llb-inst1" : "default");
            Envelope env = original.envelope();
            plan.set(victim, new LogEntry(Topic.PLAN, 0, original.offset(), new Envelope(env.schemaVersion(), null,
                    env.id(), env.logTime(), env.writer(), env.basedOn(), altered)));

            VerifyResult result = PlanVerifier.verify(events, plan);
            VerifyResult.Divergence d = assertInstanceOf(VerifyResult.Divergence.class, result);
            assertEquals(original.offset(), d.planOffset());
            assertEquals(altered, d.recorded());
            assertEquals(placed, d.expected());
            assertTrue(d.describe().contains(altered.toString()), d.describe());
        }
    }

    static void answerThrough(PlannerStage stage, long offset) {
        long deadline = System.nanoTime() + PlanChecks.WAIT.toNanos();
        while (stage.answered() < offset) {
            assertTrue(System.nanoTime() < deadline, "facts through " + offset + " not answered in time");
            stage.doWork();
        }
    }

    static LogPosition feed(PlainWriter bridge, List<Fact> facts) {
        LogPosition at = null;
        for (Fact f : facts) {
            at = bridge.append(Outgoing.to(Topic.EVENTS, Envelope.of(f, "feeder"))).join();
        }
        return at;
    }

    static List<Fact> facts(FactFeed feed, int n) {
        List<Fact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(feed.next());
        }
        return out;
    }

    static Fact service(String name) {
        return new Fact.ServiceObserved(name, "uid-" + name, "1", "loxilb.io/loxilb",
                List.of(new io.shardlb.events.schema.ServicePort("", 80, "TCP", "", 0)), List.of(), "", "",
                List.of(), "", new java.util.TreeMap<>(), List.of());
    }
}
