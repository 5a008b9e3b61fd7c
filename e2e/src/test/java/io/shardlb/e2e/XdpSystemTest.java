package io.shardlb.e2e;

import io.shardlb.e2e.scenario.CutOff;
import io.shardlb.e2e.scenario.Scenarios;
import io.shardlb.e2e.scenario.Stage;
import io.shardlb.e2e.system.Replay;
import io.shardlb.e2e.xdp.XdpDatapath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system on real packets, as root: three agents running the XdpForwarder, each in a network namespace of
 * its own on one bridge; the probe in a client namespace, the ARP monitor in its own, the backend in another, the
 * broker on this namespace's end of the segment. The seed, a kill -9 of a master and its return, a SIGTERM drain
 * and its return, and a master cut off from Kafka for 10 s, one trial each (the benchmark runs the full counts).
 * Two ARP answerers for one VIP in any 10 ms round, or a replay that does not reproduce the plan, fails the test.
 */
class XdpSystemTest {
    private static final Logger LOG = LoggerFactory.getLogger(XdpSystemTest.class);
    private static final Duration MAX_RUN = Duration.ofMinutes(10);
    private static final Duration CUT = Duration.ofSeconds(10);

    /** Kept after a failed run: every process's output is in out/ for the post-mortem. */
    private final Path work = Path.of("target", "e2e-xdp");
    private Stage stage;

    @BeforeEach
    void clean() throws IOException {
        WorkDir.clean(work);
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.close(); // deletes the namespaces by name
        }
    }

    @Test
    void seedKillDrainAndCutOffKeepOneArpAnswererAndAReplayableLog() throws Exception {
        Privileged.requireXdp("/usr/sbin/iptables");
        stage = Stage.start(work, MAX_RUN, XdpDatapath.create(3));
        try {
            scenarios();
        } catch (AssertionError | RuntimeException e) {
            stage.system().diagnose();
            throw e;
        }
    }

    private void scenarios() throws Exception {
        Scenarios.Seed seed = Scenarios.seed(stage);
        assertEquals(XdpDatapath.seedVip(0), seed.vips().get("tcp-lb"), "tcp-lb gets .250");
        assertEquals(XdpDatapath.seedVip(1), seed.vips().get("tcp-lb2"), "tcp-lb2 gets .251");
        assertEquals("default", seed.instances().get("tcp-lb"));
        assertEquals("llb-inst2", seed.instances().get("tcp-lb2"));
        assertEquals(3, seed.masters().values().stream().distinct().count(), "one master per agent: " + seed);
        judge("seed");

        Scenarios.Failover f = Scenarios.killMaster(stage, "tcp-lb");
        LOG.info("kill -9 of {}: {} ms to the first success through its VIP; return: {}", f.killed(), f.failoverMs(),
                f.back());
        assertTrue(f.failoverMs() > 0, f.toString());
        judge("kill -9 of " + f.killed());

        String[] drained = new String[1];
        Scenarios.Handover drain = Scenarios.drain(stage, "tcp-lb1", drained);
        Scenarios.Handover back = Scenarios.returnAgent(stage, drained[0]);
        LOG.info("drain of {}: {}; return: {}", drained[0], drain, back);
        judge("drain and return of " + drained[0]);

        CutOff cut = CutOff.run(stage, "tcp-lb2", CUT);
        LOG.info("cut-off: {}", cut);
        judge("cut-off of " + cut.agent());
    }

    /** After every scenario: never two ARP answerers, and the recorded plan is what the code decides. */
    private void judge(String scenario) {
        assertEquals(List.of(), stage.splitBrainInstants(), "split-brain instants after " + scenario);
        Replay replay = stage.system().verifyReplay();
        assertTrue(replay.verified(), "replay --verify after " + scenario + ": " + replay.output());
    }
}
