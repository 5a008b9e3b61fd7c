package io.shardlb.planner.stage;

import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.replay.VerifyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner process is killed with {@code kill -9} at 50 random moments (while it starts, recovers, or answers)
 * while a feeder streams facts; each time a new one takes over. Afterwards the plan verifies over the whole log
 * and every fact offset was answered at most once, in order, none skipped.
 */
class PlannerStageKillTest {
    private static final int KILLS = 50;
    private static final int MAX_FACTS = 30_000;
    private static final String[] READY = {"STARTED", "ACTIVE", "ANSWERED"};
    private static final String SNAPSHOT_EVERY = "300";
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void killedAtRandomMomentsTheLogStillAnswersEveryFactOnce() throws Exception {
        String prefix = KafkaFixture.prefix("planner-kill");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (KafkaEventLog log = new KafkaEventLog(KafkaFixture.bootstrap(),
                io.shardlb.events.log.LogOptions.defaults().withTopicPrefix(prefix));
             PlainWriter bridge = log.plainWriter("feeder")) {
            FactFeed feed = new FactFeed(seed);
            for (Fact f : feed.opening()) {
                bridge.append(Outgoing.to(Topic.EVENTS, Envelope.of(f, "feeder")));
            }
            AtomicBoolean feeding = new AtomicBoolean(true);
            AtomicInteger fed = new AtomicInteger();
            CompletableFuture<LogPosition> last = new CompletableFuture<>();
            Thread feeder = Thread.ofPlatform().name("feeder").start(() -> {
                CompletableFuture<LogPosition> at = null;
                while (feeding.get() && fed.get() < MAX_FACTS) {
                    at = bridge.append(Outgoing.to(Topic.EVENTS, Envelope.of(feed.next(), "feeder")));
                    fed.incrementAndGet();
                    sleep(15);
                }
                bridge.flush();
                last.complete(at == null ? null : at.join());
            });
            int answeredByChildren = 0;
            for (int i = 0; i < KILLS; i++) {
                // a third die while they start or recover, a third in their first batch, a third later on
                String ready = READY[i % READY.length];
                ChildJvm planner = ChildJvm.start(PlannerStageMain.class.getName(),
                        List.of(KafkaFixture.bootstrap(), prefix, SNAPSHOT_EVERY), EmbeddedKafkaProcess.QUICK_START_JVM,
                        ready, tmp.resolve("planner.log"), START);
                Thread.sleep(random.nextInt(ready.equals("STARTED") ? 1_000 : 300));
                assertTrue(planner.isAlive(), "the planner exited by itself (see " + tmp.resolve("planner.log") + ")");
                planner.kill();
            }
            feeding.set(false);
            feeder.join(Duration.ofSeconds(60).toMillis());
            LogPosition lastFact = last.get();
            PlanChecks.awaitCommitted(log, List.of(lastFact));

            try (PlannerStage stage = new PlannerStage(log, new LogSnapshotStore(log),
                    new PlannerStage.Options(Integer.parseInt(SNAPSHOT_EVERY), Duration.ofMillis(100)))) {
                stage.activate();
                answeredByChildren = (int) stage.answered();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (stage.answered() < lastFact.offset() && System.nanoTime() < deadline) {
                    stage.doWork();
                }
                assertTrue(stage.answered() >= lastFact.offset(), "the last planner did not catch up");
                PlanChecks.awaitCommitted(log, stage.lastAppended());
            }
            assertTrue(answeredByChildren > 0, "the killed planners answered nothing (seed " + seed + ")");
            VerifyResult.Verified ok = PlanChecks.assertExactlyOnce(log);
            assertTrue(ok.decisions() > 0, ok.describe());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
