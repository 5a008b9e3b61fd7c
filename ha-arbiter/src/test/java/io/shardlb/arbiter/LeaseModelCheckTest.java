package io.shardlb.arbiter;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model check of DESIGN.md invariant 5 (README, "Safety argument"): an explicit-state search over three
 * agents, two instances, two heartbeats partitions, the arbiter and a planner stand-in, calling the real
 * {@link AgentLease} and {@link Arbiter}. Every reachable state must have at most one agent answering for each
 * VIP; each deliberately broken rule must be caught.
 *
 * <p>Bounds: two faults per run (any of: cut from a broker, delayed beats, delayed acknowledgements, pause, kill,
 * restart, join, arbiter lag on a partition, arbiter failover), injected in the first 500 ms, explored to 1.4 s
 * of model time in 50 ms steps; agent clocks slow by the full drift (200 ms per 400 ms lease, the margin).
 */
class LeaseModelCheckTest {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseModelCheckTest.class);

    /** Drift equal to the margin, two faults injected up to 500 ms, horizon 1.4 s. */
    private static final ModelConfig SOUND = ModelConfig.sound(2, 10, 28);

    private static ModelSearch.Outcome search(String name, ModelConfig cfg) {
        long t0 = System.nanoTime();
        ModelSearch.Outcome out = new ModelSearch(cfg).run();
        LOG.info("{}: {} states, {} with a moved VIP, {} ms; violation: {} after {}", name, out.states(),
                out.movedVips(), (System.nanoTime() - t0) / 1_000_000, out.violation(), out.schedule());
        return out;
    }

    @Test
    void atMostOneAgentAnswersForEachVipWithClocksDriftingByTheMargin() {
        ModelSearch.Outcome out = search("sound, slow clocks", SOUND);
        assertNull(out.violation(), () -> out.violation() + " after " + out.schedule());
        assertTrue(out.movedVips() > 0, "the search never moved a VIP: the check would be vacuous");
    }

    @Test
    void atMostOneAgentAnswersForEachVipWithTrueClocks() {
        ModelSearch.Outcome out = search("sound, true clocks", SOUND.withBounds(2, 6, 24, false));
        assertNull(out.violation(), () -> out.violation() + " after " + out.schedule());
        assertTrue(out.movedVips() > 0, "the search never moved a VIP: the check would be vacuous");
    }

    @Test
    void aMarginBelowTheDriftIsCaught() {
        ModelSearch.Outcome out = search("broken: margin 100 ms < drift 200 ms", SOUND.withArbiterMargin(100));
        assertNotNull(out.violation(), "two owners expected when the margin does not cover the drift");
    }

    @Test
    void aLateAcknowledgementThatRevivesALapsedLeaseIsCaught() {
        ModelSearch.Outcome out = search("broken: late ack revives",
                SOUND.withLapseRule(LapseRule.REVIVE_ON_LATE_ACK));
        assertNotNull(out.violation(), "two owners expected when a late acknowledgement revives a lapsed lease");
    }

    @Test
    void anArbiterThatDoesNotReadToTheEndOffsetIsCaught() {
        ModelSearch.Outcome out = search("broken: no read to end",
                SOUND.withEndOffsetRule(EndOffsetRule.DECIDE_ON_WHAT_WAS_READ));
        assertNotNull(out.violation(), "two owners expected when unread beats are taken for silence");
    }
}
