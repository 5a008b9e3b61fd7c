package io.shardlb.e2e;

import io.shardlb.e2e.scenario.BrokerLoss;
import io.shardlb.e2e.scenario.Scenarios;
import io.shardlb.e2e.scenario.Stage;
import io.shardlb.e2e.scenario.TopicLayout;
import io.shardlb.e2e.system.Replay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system (controller, three proxy agents, probe and listener monitor) on a 3-node KRaft cluster of child
 * JVMs, with the topics as the product creates them there (plan and events: 3 replicas, min.insync.replicas 2;
 * heartbeats: 2 partitions led by different brokers). The broker leading most of heartbeats and plan is killed
 * with -9 for {@link BrokerLoss#DOWN} and started again: no request through any VIP may fail, no agent may be
 * declared down, no Service may change master, and the log must replay. Default leases (400 ms): the product's.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BrokerLossSystemTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLossSystemTest.class);
    private static final Duration MAX_RUN = Duration.ofMinutes(10);

    /** Kept after a failed run: every process's output is in out/ for the post-mortem. */
    private final Path work = Path.of("target", "e2e-broker-loss");
    private Stage stage;

    @BeforeEach
    void clean() throws IOException {
        WorkDir.clean(work);
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void killingABrokerReleasesNoVipAndDownsNoAgent() throws Exception {
        stage = Stage.start(work, Scenarios.POOLS, MAX_RUN, 3);
        try {
            scenario();
        } catch (AssertionError | RuntimeException e) {
            stage.system().diagnose();
            throw e;
        }
    }

    private void scenario() throws Exception {
        Scenarios.seed(stage);
        TopicLayout layout = TopicLayout.read(stage.system().brokers().bootstrap(), stage.system().topicPrefix());
        assertEquals(3, layout.partitions().get("plan-0").replicas().size(), "plan on 3 brokers: " + layout);
        assertEquals(3, layout.partitions().get("events-0").replicas().size(), "events on 3 brokers: " + layout);
        assertEquals(2, layout.minIsr().get("plan"), "plan min.insync.replicas: " + layout);
        assertEquals(2, layout.minIsr().get("events"), "events min.insync.replicas: " + layout);
        assertTrue(layout.partitions().get("heartbeats-0").replicas().getFirst().id()
                        != layout.partitions().get("heartbeats-1").replicas().getFirst().id(),
                "heartbeats partitions start on different brokers: " + layout);

        BrokerLoss loss = BrokerLoss.run(stage);
        LOG.info("broker {} killed for {} (restart {} ms): {} failed requests, {} long-lived failures, {} AgentDown"
                        + " (baseline before the kill: {}), beats unacknowledged at most {} ms during ({}) vs {} ms"
                        + " before; layout {}", loss.killed(), BrokerLoss.DOWN, Math.round(loss.restartMs()),
                loss.failedRequests(), loss.longLivedFailures(), loss.agentDowns().size(), loss.baseline(),
                Math.round(loss.beatStall().duringMs()), loss.beatStall().duringAgent(),
                Math.round(loss.beatStall().beforeMs()), loss.layoutBefore());

        // Strict, as the product promises; the baseline in the message tells a broker-caused failure from a machine
        // that lapses leases with no broker killed at all (then the beat stall during the loss is no longer than
        // before it).
        String why = "; before the kill, in as long a window: " + loss.baseline() + "; beats unacknowledged at most "
                + Math.round(loss.beatStall().duringMs()) + " ms during vs " + Math.round(loss.beatStall().beforeMs())
                + " ms before";
        assertEquals(0, loss.agentDowns().size(), "AgentDown after broker " + loss.killed() + " was killed"
                + why + ": " + loss);
        assertEquals(0, loss.failedRequests(), "failed requests through the VIPs" + why + ": " + loss);
        assertEquals(loss.mastersBefore(), loss.mastersAfter(), "masters moved: " + loss);
        assertEquals(List.of(), stage.splitBrainInstants(), "split-brain instants");
        Replay replay = stage.system().verifyReplay();
        assertTrue(replay.verified(), "replay --verify after the broker loss: " + replay.output());
    }
}
