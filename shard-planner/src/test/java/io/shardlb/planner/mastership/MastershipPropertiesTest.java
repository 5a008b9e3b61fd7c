package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.shardlb.planner.mastership.Facts.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random fact sequences (agents up, down, draining, returning with new incarnations, acknowledgements, ticks,
 * changes of N) checked after every fact against DESIGN.md invariants 3 (pending-handover form), 4 and 7, and
 * for determinism: same facts, same decisions; the recorded facts and decisions replayed in any batches give
 * the same image.
 */
class MastershipPropertiesTest {
    private static final List<String> AGENTS = List.of("agent-a", "agent-b", "agent-c", "agent-d", "agent-e");

    /** One abstract step; {@link Run} turns it into a concrete fact that makes sense in the current state. */
    record Action(int kind, int agent, int arg) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> action = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, AGENTS.size() - 1),
                Arbitraries.integers().between(0, 7)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void invariantsHoldAfterEveryFact(@ForAll("actions") List<Action> actions) {
        Run run = new Run();
        for (Action a : actions) {
            run.act(a);
        }
        run.settle();
        run.checkSettled(true);
    }

    @Property(tries = 100)
    void sameFactsSameDecisionsAndReplayInAnyBatchesGivesTheSameImage(
            @ForAll("actions") List<Action> actions, @ForAll @Size(max = 20) List<@net.jqwik.api.constraints.IntRange(
                    min = 0, max = 200) Integer> cuts) {
        Run first = new Run();
        actions.forEach(first::act);
        Run second = new Run();
        actions.forEach(second::act);
        assertEquals(first.records, second.records, "same facts must give the same plan");
        assertEquals(first.image, second.image);

        Set<Integer> cutAt = Set.copyOf(cuts);
        MastershipDelta delta = new MastershipDelta(MastershipImage.EMPTY);
        for (int i = 0; i < first.records.size(); i++) {
            Record r = first.records.get(i);
            delta.replay(r.payload(), r.logTime());
            if (cutAt.contains(i)) {
                delta = new MastershipDelta(delta.apply());
            }
        }
        assertEquals(first.image, delta.apply());
    }

    /** A recorded fact or decision with its log time. */
    record Record(Payload payload, long logTime) {
    }

    /** Drives the decider with facts as ha-arbiter and the configuration would write them. */
    static final class Run {
        MastershipImage image = MastershipImage.EMPTY;
        final List<Record> records = new ArrayList<>();
        final Map<String, Long> incarnation = new HashMap<>();
        final Map<String, Set<Long>> notDown = new HashMap<>();
        final Map<String, AgentRef> termOwner = new HashMap<>();
        long now = 1_000L;

        Run() {
            apply(config(3));
        }

        void act(Action a) {
            String agent = AGENTS.get(a.agent());
            long inc = incarnation.getOrDefault(agent, 0L);
            switch (a.kind()) {
                case 0, 1, 2 -> {
                    // returning: usually declared Down first, sometimes not (the old lease is still pending)
                    if (a.arg() < 6 && inc > 0 && notDown.getOrDefault(agent, Set.of()).contains(inc)) {
                        down(agent, inc);
                    }
                    incarnation.put(agent, inc + 1);
                    notDown.computeIfAbsent(agent, k -> new java.util.HashSet<>()).add(inc + 1);
                    apply(Facts.up(agent, inc + 1));
                }
                case 3, 4 -> {
                    Set<Long> alive = notDown.getOrDefault(agent, Set.of());
                    if (!alive.isEmpty()) {
                        down(agent, alive.stream().min(Long::compare).orElseThrow());
                    }
                }
                case 5 -> apply(new Fact.AgentDraining(agent, inc));
                case 6, 7 -> ackOne(a.arg());
                case 8 -> apply(new Fact.Tick());
                default -> apply(config(1 + a.arg() % 6));
            }
        }

        void down(String agent, long inc) {
            notDown.get(agent).remove(inc);
            apply(Facts.down(agent, inc));
        }

        void ackOne(int pick) {
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < image.names().count(); i++) {
                if (image.instance(i).pending() != null && !image.instance(i).pending().acknowledged()) {
                    pending.add(i);
                }
            }
            if (pending.isEmpty()) {
                apply(new Fact.Tick());
                return;
            }
            int i = pending.get(pick % pending.size());
            Handover h = image.instance(i).pending();
            // Only a live incarnation beats, so only it can acknowledge.
            if (notDown.getOrDefault(h.from().agent(), Set.of()).contains(h.from().incarnation())) {
                apply(new Fact.VipUnbound(h.from().agent(), h.from().incarnation(), image.names().name(i), h.term(),
                        "handover"));
            }
        }

        /** The arbiter's eventual verdicts: every superseded incarnation Down, every handover acknowledged. */
        void settle() {
            for (String agent : AGENTS) {
                long current = incarnation.getOrDefault(agent, 0L);
                for (Long inc : List.copyOf(notDown.getOrDefault(agent, Set.of()))) {
                    if (inc != current) {
                        down(agent, inc);
                    }
                }
            }
            for (int guard = 0; guard < 200 && image.pendingHandovers() > 0; guard++) {
                ackOne(0);
            }
            assertEquals(0, image.pendingHandovers(), "handovers complete once acknowledged: " + image);
        }

        void apply(Fact fact) {
            MastershipImage before = image;
            now += 100;
            MastershipStep step = Mastership.onFact(image, fact, now);
            image = step.image();
            records.add(new Record(fact, now));
            step.decisions().forEach(d -> records.add(new Record(d, now)));
            checkStep(before, fact, step.decisions());
            assertEquals(List.of(), Mastership.decide(image, "again"), "decide is a fixed point after applying");
            checkSettled(false);
        }

        /** Invariants 4 and 7 and "never two masters" on one batch. */
        void checkStep(MastershipImage before, Fact fact, List<Decision> decisions) {
            int handovers = 0;
            for (Decision d : decisions) {
                switch (d) {
                    case Decision.InstanceMastered m -> {
                        int i = before.names().anyIndexOf(m.instance()).orElseThrow();
                        InstanceState was = before.instance(i);
                        assertTrue(m.term() > was.term(), "terms grow: " + m + " after " + was);
                        AgentRef prev = termOwner.putIfAbsent(m.instance() + "@" + m.term(), m.master());
                        assertTrue(prev == null, "a term names one incarnation: " + m);
                        AgentRef old = was.master();
                        boolean released = old == null || old.equals(m.master()) || image.isDead(old)
                                || (was.pending() != null && (was.pending().acknowledged()
                                || image.isDead(was.pending().from())))
                                || fact instanceof Fact.VipUnbound u && old.equals(
                                new AgentRef(u.agent(), u.incarnation()));
                        boolean retired = i >= image.names().count();
                        assertTrue(released || retired, "a live master is replaced only after releasing: " + m
                                + " was " + was);
                        if (fact instanceof Fact.AgentDown down && !retired) {
                            AgentRef lost = new AgentRef(down.agent(), down.incarnation());
                            AgentRef holder = was.pending() != null ? was.pending().from() : old;
                            assertTrue(holder == null || holder.equals(lost) || before.isDead(holder)
                                            || holder.agent().equals(down.agent()),
                                    "losing " + lost + " moves only its instances: " + m + " was " + was);
                        }
                    }
                    case Decision.InstanceHandover h -> {
                        handovers++;
                        assertTrue(image.isEligible(h.to()), "hand over to an eligible agent: " + h);
                    }
                    default -> fail("unexpected decision " + d);
                }
            }
            assertTrue(handovers <= 1, "one handover at a time: " + decisions);
            if (handovers == 1) {
                assertEquals(1, image.pendingHandovers(), "only one handover pending: " + image);
            }
        }

        /** Invariant 3: once nothing is pending, one eligible master per instance, balanced. */
        void checkSettled(boolean mustBeSettled) {
            List<String> eligible = image.eligibleAgents();
            boolean waiting = image.pendingHandovers() > 0;
            for (AgentRef m : image.masters()) {
                waiting |= m != null && !image.isLive(m) && !image.isDead(m);
            }
            if (waiting || eligible.isEmpty()) {
                assertTrue(!mustBeSettled || eligible.isEmpty() || !waiting, "not settled: " + image);
                return;
            }
            Map<String, Integer> counts = new HashMap<>();
            eligible.forEach(a -> counts.put(a, 0));
            for (AgentRef m : image.masters()) {
                assertTrue(m != null && image.isEligible(m), "every instance has an eligible master: " + image);
                counts.merge(m.agent(), 1, Integer::sum);
            }
            int max = counts.values().stream().max(Integer::compare).orElseThrow();
            int min = counts.values().stream().min(Integer::compare).orElseThrow();
            assertTrue(max - min <= 1, "masters per agent differ by at most one: " + counts + " " + image);
        }
    }
}
