package io.shardlb.planner.mastership;

import io.shardlb.events.image.ReplayException;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.shardlb.planner.mastership.Facts.config;
import static io.shardlb.planner.mastership.Facts.down;
import static io.shardlb.planner.mastership.Facts.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MastershipTest {
    private MastershipImage image = MastershipImage.EMPTY;
    private long now = 1_000_000L;

    private List<Decision> on(Fact fact) {
        MastershipStep step = Mastership.onFact(image, fact, now += 100);
        image = step.image();
        return step.decisions();
    }

    /** Acknowledges every pending handover, as the old masters' beats would. */
    private void ackAll() {
        for (int guard = 0; guard < 100 && image.pendingHandovers() > 0; guard++) {
            for (int i = 0; i < image.names().count(); i++) {
                Handover h = image.instance(i).pending();
                if (h != null) {
                    on(new Fact.VipUnbound(h.from().agent(), h.from().incarnation(), image.names().name(i),
                            h.term(), "handover"));
                    break;
                }
            }
        }
    }

    private Map<String, Integer> mastersPerAgent() {
        Map<String, Integer> counts = new HashMap<>();
        for (AgentRef m : image.masters()) {
            counts.merge(m == null ? "none" : m.agent(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void seedThreeAgentsThreeInstancesOneEach() {
        on(config(3));
        on(up("agent-a", 1));
        assertEquals(Map.of("agent-a", 3), mastersPerAgent(), "the first agent takes every instance at once");
        List<Decision> joined = on(up("agent-b", 1));
        assertEquals(1, joined.size());
        assertInstanceOf(Decision.InstanceHandover.class, joined.getFirst());
        ackAll();
        on(up("agent-c", 1));
        ackAll();
        assertEquals(Map.of("agent-a", 1, "agent-b", 1, "agent-c", 1), mastersPerAgent());
        assertEquals(List.of("default", "llb-inst1", "llb-inst2"), image.names().all());
    }

    @Test
    void downMovesOnlyItsInstancesInOneBatch() {
        on(config(6));
        on(up("agent-a", 1));
        on(up("agent-b", 1));
        ackAll();
        on(up("agent-c", 1));
        ackAll();
        List<AgentRef> before = image.masters();
        List<Decision> batch = on(down("agent-b", 1));
        long movedB = before.stream().filter(m -> m.agent().equals("agent-b")).count();
        assertEquals(movedB, batch.size(), "one InstanceMastered per instance agent-b mastered");
        for (Decision d : batch) {
            Decision.InstanceMastered m = assertInstanceOf(Decision.InstanceMastered.class, d);
            int i = image.names().indexOf(m.instance()).orElseThrow();
            assertEquals("agent-b", before.get(i).agent());
            assertTrue(m.cause().contains("agent-b#1 Down"), m.cause());
        }
        assertEquals(Map.of("agent-a", 3, "agent-c", 3), mastersPerAgent());
        assertEquals(0, image.pendingHandovers());
    }

    @Test
    void handoverCompletesWhenTheOldMasterDiesBeforeAcknowledging() {
        on(config(2));
        on(up("agent-a", 1));
        Decision.InstanceHandover h = assertInstanceOf(Decision.InstanceHandover.class,
                on(up("agent-b", 1)).getFirst());
        assertEquals(new AgentRef("agent-b", 1), h.to());
        assertEquals(List.of(), on(new Fact.Tick()), "nothing happens while the handover waits");
        List<Decision> done = on(down("agent-a", 1));
        Decision.InstanceMastered m = assertInstanceOf(Decision.InstanceMastered.class, done.getFirst());
        assertEquals(h.to(), m.master());
        assertEquals(h.term() + 1, m.term());
    }

    @Test
    void unacknowledgedHandoverIsOverdueButNotGuessed() {
        on(config(2));
        on(up("agent-a", 1));
        on(up("agent-b", 1));
        now += 10_000;
        assertEquals(List.of(), on(new Fact.Tick()));
        assertEquals(1, Mastership.overdueHandovers(image, now).size());
        assertEquals(1, image.pendingHandovers(), "still waiting for VipUnbound or AgentDown");
    }

    @Test
    void drainingAgentGivesItsInstancesAwayOneAtATime() {
        on(config(4));
        on(up("agent-a", 1));
        on(up("agent-b", 1));
        ackAll();
        List<Decision> drain = on(new Fact.AgentDraining("agent-a", 1));
        assertEquals(1, drain.size());
        assertInstanceOf(Decision.InstanceHandover.class, drain.getFirst());
        ackAll();
        assertEquals(Map.of("agent-b", 4), mastersPerAgent());
    }

    @Test
    void returningIncarnationWaitsForTheVerdictOnTheOldOne() {
        on(config(1));
        on(up("agent-a", 1));
        assertEquals(List.of(), on(up("agent-a", 2)), "agent-a#1 may still hold a valid lease");
        assertEquals(new AgentRef("agent-a", 1), image.instance(0).master());
        List<Decision> verdict = on(down("agent-a", 1));
        Decision.InstanceMastered m = assertInstanceOf(Decision.InstanceMastered.class, verdict.getFirst());
        assertEquals(new AgentRef("agent-a", 2), m.master(), "another incarnation is a new term");
        assertEquals(2, m.term());
    }

    @Test
    void lastAgentDownLeavesNoMasterInANewTerm() {
        on(config(1));
        on(up("agent-a", 1));
        Decision.InstanceMastered m = assertInstanceOf(Decision.InstanceMastered.class,
                on(down("agent-a", 1)).getFirst());
        assertNull(m.master());
        assertEquals(2, m.term());
    }

    @Test
    void shrinkingRetiresInstancesAndTermsKeepGrowingWhenTheyReturn() {
        on(config(3));
        on(up("agent-a", 1));
        long term2 = image.instance(2).term();
        List<Decision> shrink = on(config(2));
        assertEquals(1, shrink.size());
        assertNull(((Decision.InstanceMastered) shrink.getFirst()).master());
        on(config(3));
        assertTrue(image.instance(2).term() > term2 + 1);
    }

    @Test
    void replayRejectsATermGoingBackwards() {
        on(config(1));
        on(up("agent-a", 1));
        MastershipDelta delta = new MastershipDelta(image);
        Decision.InstanceMastered stale = new Decision.InstanceMastered("default", new AgentRef("agent-a", 1),
                image.instance(0).term(), List.of(), "");
        assertThrows(ReplayException.class, () -> delta.replay(stale, now));
    }

    @Test
    void replaySplitIntoBatchesEveryWayGivesTheSameImage() {
        List<Fact> facts = List.of(config(3), up("agent-a", 1), up("agent-b", 1), new Fact.Tick(),
                down("agent-a", 1), up("agent-a", 2));
        List<Object[]> records = new ArrayList<>();
        for (Fact f : facts) {
            long t = now += 100;
            MastershipStep step = Mastership.onFact(image, f, t);
            image = step.image();
            records.add(new Object[]{f, t});
            step.decisions().forEach(d -> records.add(new Object[]{d, t}));
        }
        int n = records.size();
        assertTrue(n <= 16, "keep the exhaustive split small: " + n);
        for (int mask = 0; mask < 1 << (n - 1); mask++) {
            MastershipImage folded = MastershipImage.EMPTY;
            MastershipDelta delta = new MastershipDelta(folded);
            for (int i = 0; i < n; i++) {
                delta.replay((io.shardlb.events.schema.Payload) records.get(i)[0], (Long) records.get(i)[1]);
                if ((mask >> i & 1) == 1) {
                    folded = delta.apply();
                    delta = new MastershipDelta(folded);
                }
            }
            assertEquals(image, delta.apply(), "split mask " + mask);
        }
    }
}
