package io.shardlb.agent.control;

import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.LogException;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.snapshot.Snapshots;
import io.shardlb.planner.core.PlannerSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent with an empty journal starts from the planner's newest snapshot, not from the first plan record: its
 * rules are those of the snapshot, it follows the plan after it, and its journal (snapshot records plus the tail)
 * gives every rule back after a restart with the log stopped.
 */
class AgentSnapshotStartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void emptyJournalStartsFromTheSnapshotAndFollowsThePlanAfterIt() throws Exception {
        try (KafkaEventLog log = KafkaFixture.open("snapshot-start");
             RealPlanner planner = new RealPlanner(log, 1)) {
            planner.observe(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "127.0.81.250/24")), List.of(),
                    true, 1, "llb", false, "default", "", "", 0L, 5_000L, false));
            for (int i = 0; i < 3; i++) {
                observeService(planner, "default/svc-" + i);
            }
            await(() -> coveredServices(log) == 3, "a planner snapshot holding the three Services");

            Path journal = dir.resolve("journal");
            AgentConfig config = new AgentConfig("snap", KafkaFixture.logUri(), log.options().topicPrefix(), "lo",
                    ForwarderKind.PROXY, "127.0.0.1", 0, journal, Duration.ofSeconds(1), LeaseSettings.DEFAULTS);
            try (Agent agent = Agent.start(config, ProxyForwarder.start(ProxyConfig.defaults()),
                    () -> new KafkaEventLog(log.bootstrap(), log.options()))) {
                await(() -> agent.rules().size() == 3, "the snapshot's rules");
                assertTrue(agent.snapshotRecords() >= 3, "started from the snapshot: " + agent.snapshotRecords());
                observeService(planner, "default/svc-3");
                await(() -> agent.rules().containsKey("default/svc-3"), "a rule planned after the snapshot");
                assertEquals(planner.rule("default/svc-0"), agent.rules().get("default/svc-0"));
            }
            try (Agent restarted = Agent.start(config, ProxyForwarder.start(ProxyConfig.defaults()), () -> {
                throw new LogException("log stopped");
            })) {
                assertEquals(4, restarted.journalRules(), "snapshot records and tail journalled");
            }
        }
    }

    private static void observeService(RealPlanner planner, String service) {
        planner.observe(new Fact.ServiceObserved(service, "uid-" + service, "1", "loxilb.io/loxilb",
                List.of(new ServicePort("", 8080, "TCP", "", 0)), List.of(), "", "", List.of(), "",
                new TreeMap<>(Map.of("loxilb.io/lbmode", "onearm")), List.of()));
        planner.observe(new Fact.EndpointsObserved(service, List.of(new Endpoint("127.0.0.1", 9999, "", "TCP", true,
                "node-1"))));
    }

    private static int coveredServices(KafkaEventLog log) {
        return Snapshots.latest(log, SnapshotStart.STAGE)
                .map(s -> PlannerSnapshot.fromBytes(s.image()).book().rules().size()).orElse(0);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
