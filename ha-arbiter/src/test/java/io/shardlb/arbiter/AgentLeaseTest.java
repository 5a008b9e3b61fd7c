package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;
import org.junit.jupiter.api.Test;

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
