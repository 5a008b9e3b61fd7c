package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentLeaseTest {
    private static final long MS = 1_000_000L;
    private static final AgentRef A = new AgentRef("agent-a", 7);
    private static final AgentRef B = new AgentRef("agent-b", 3);

    private final AgentLease lease = new AgentLease(A, "127.0.0.1", LeaseSettings.DEFAULTS);

    @Test
    void leaseRunsFromTheSendStartOfTheAcknowledgedBeat() {
        Heartbeat first = lease.startBeat(1000 * MS, 0);
        assertEquals(LeasePhase.PENDING, lease.view(1000 * MS).phase());
        lease.onBeatAcked(first.seq(), 1030 * MS);
        LeaseView v = lease.view(1030 * MS);
        assertEquals(LeasePhase.VALID, v.phase());
        assertEquals(1400 * MS, v.deadlineNanos(), "deadline = send start + lease, not ack time + lease");
        assertEquals(LeasePhase.LAPSED, lease.view(1400 * MS).phase());
    }

    @Test
    void aLateAcknowledgementRevivesNothing() {
        lease.onBeatAcked(lease.startBeat(0, 0).seq(), 10 * MS);
        Heartbeat late = lease.startBeat(300 * MS, 0);
        // lease from beat 1 ends at 400 ms; beat 2's ack comes after that
        assertEquals(LeasePhase.LAPSED, lease.onBeatAcked(late.seq(), 401 * MS));
        assertEquals(LeaseView.NO_DEADLINE, lease.view(402 * MS).deadlineNanos());
        assertTrue(lease.view(402 * MS).holding().isEmpty());
        assertThrows(IllegalStateException.class, () -> lease.startBeat(450 * MS, 0));
        assertFalse(lease.beatDue(450 * MS));
    }

    @Test
    void aHandoverReleasesTheTermAtOnceAndTheNextBeatSaysSo() {
        lease.onPlan("default", 4, A);
        lease.onBeatAcked(lease.startBeat(0, 0).seq(), 10 * MS);
        assertEquals(List.of(new Holding("default", 4)), lease.startBeat(15 * MS, 0).holding());
        lease.onHandover("default", 3); // an older term: nothing
        assertEquals(List.of(new Holding("default", 4)), lease.view(20 * MS).holding());
        lease.onHandover("default", 4);
        assertTrue(lease.view(20 * MS).holding().isEmpty());
        assertTrue(lease.beatDue(20 * MS), "the release goes out at once");
        assertTrue(lease.startBeat(20 * MS, 0).holding().isEmpty());
        lease.onPlan("default", 5, B);
        lease.onPlan("default", 6, A);
        assertEquals(List.of(new Holding("default", 6)), lease.view(30 * MS).holding());
    }

    /**
     * The term and its handover read together (a joining agent is owed an instance at once), before any beat named
     * the instance: the arbiter reports a release only as a holding that disappears from one beat to the next, so
     * the next beat announces the term once and the one after drops it; the arbiter turns that into the
     * {@code VipUnbound} the planner waits for. The forwarder is never told to answer for it.
     */
    @Test
    void aHandoverReadBeforeAnyBeatNamedTheTermIsStillReportedAsAReleaseByTheArbiter() {
        Arbiter arbiter = new Arbiter(LeaseSettings.DEFAULTS, 0);
        Heartbeat first = lease.startBeat(0, 0);
        lease.onBeatAcked(first.seq(), 10 * MS);
        List<Fact> facts = new ArrayList<>(arbiter.onBeat(0, 1, first, 5 * MS));
        lease.onPlan("llb-inst1", 1, A);
        lease.onPlan("default", 1, A);
        lease.onHandover("default", 1);
        assertEquals(List.of(new Holding("llb-inst1", 1)), lease.view(20 * MS).holding(), "never answers for it");
        assertTrue(lease.beatDue(20 * MS));
        Heartbeat announce = lease.startBeat(20 * MS, 0);
        assertEquals(List.of(new Holding("default", 1), new Holding("llb-inst1", 1)), announce.holding());
        facts.addAll(arbiter.onBeat(0, 2, announce, 21 * MS));
        assertTrue(lease.beatDue(22 * MS), "the release follows at once");
        Heartbeat release = lease.startBeat(22 * MS, 0);
        assertEquals(List.of(new Holding("llb-inst1", 1)), release.holding());
        facts.addAll(arbiter.onBeat(0, 3, release, 23 * MS));
        assertTrue(facts.contains(new Fact.VipUnbound("agent-a", 7, "default", 1,
                "released")), facts.toString());
        assertFalse(lease.beatDue(24 * MS), "announced once, then only on the interval");
    }

    @Test
    void aHandoverBeforeTheFirstAcknowledgementIsReportedToo() {
        Heartbeat first = lease.startBeat(0, 0);
        lease.onPlan("default", 2, A);
        lease.onHandover("default", 2);
        lease.onBeatAcked(first.seq(), 10 * MS);
        assertTrue(lease.view(12 * MS).holding().isEmpty());
        assertEquals(List.of(new Holding("default", 2)), lease.startBeat(12 * MS, 0).holding());
        assertTrue(lease.startBeat(14 * MS, 0).holding().isEmpty());
    }

    @Test
    void anIncarnationNeverAcknowledgedWithinTheLeaseIsOver() {
        Heartbeat first = lease.startBeat(0, 0);
        lease.startBeat(100 * MS, 0);
        assertEquals(LeasePhase.LAPSED, lease.onBeatAcked(first.seq(), 400 * MS));
    }

    @Test
    void answersOnlyWhenTheCurrentTermNamesThisIncarnation() {
        lease.onBeatAcked(lease.startBeat(0, 0).seq(), 5 * MS);
        lease.onPlan("default", 4, A);
        lease.onPlan("llb-inst1", 2, new AgentRef("agent-a", 6)); // an older incarnation of the same agent
        assertTrue(lease.mayAnswer("default", 10 * MS));
        assertFalse(lease.mayAnswer("llb-inst1", 10 * MS));
        lease.onPlan("default", 5, B);
        assertFalse(lease.mayAnswer("default", 10 * MS));
        lease.onPlan("default", 4, A); // terms only grow: an older term changes nothing
        assertFalse(lease.mayAnswer("default", 10 * MS));
    }

    @Test
    void beatsEveryIntervalAndAtOnceWhenHoldingsOrDrainingChange() {
        Heartbeat first = lease.startBeat(0, 0);
        assertFalse(lease.beatDue(50 * MS));
        assertTrue(lease.beatDue(100 * MS));
        lease.onBeatAcked(first.seq(), 10 * MS);
        lease.onPlan("default", 1, A);
        assertTrue(lease.beatDue(20 * MS), "holding changed: beat at once");
        Heartbeat second = lease.startBeat(20 * MS, 0);
        assertEquals(List.of(new Holding("default", 1)), second.holding());
        assertFalse(lease.beatDue(30 * MS));
        lease.setDraining(true);
        assertTrue(lease.beatDue(30 * MS));
        assertTrue(lease.startBeat(30 * MS, 0).draining());
    }

    @Test
    void onlyTheFirstAcknowledgementOfABeatCounts() {
        Heartbeat first = lease.startBeat(0, 0);
        lease.onBeatAcked(first.seq(), 10 * MS);
        lease.onBeatAcked(first.seq(), 20 * MS);
        assertEquals(400 * MS, lease.view(30 * MS).deadlineNanos());
    }

    @Test
    void theBrokenVariantRevivesALapsedLease() {
        AgentLease broken = new AgentLease(A, "", LeaseSettings.DEFAULTS, LapseRule.REVIVE_ON_LATE_ACK);
        broken.onBeatAcked(broken.startBeat(0, 0).seq(), 10 * MS);
        assertEquals(LeasePhase.PENDING, broken.view(500 * MS).phase());
        Heartbeat again = broken.startBeat(500 * MS, 0);
        assertEquals(LeasePhase.VALID, broken.onBeatAcked(again.seq(), 510 * MS));
    }
}
