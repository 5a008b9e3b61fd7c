package io.shardlb.agent.control;

import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the planner's mastership (until the real one is merged): each instance has a wanted master by
 * name; it names that agent's live incarnation in a new term once the previous master is Down (a lapsed incarnation
 * rejoins as a new one), and moves an instance between live agents as a planned handover (InstanceHandover, wait
 * for the old master's VipUnbound, then InstanceMastered). Driven by {@link #step()} on a thread of the test.
 */
final class TestPlanner {
    private record Term(AgentRef master, long term) {
    }

    private final FencedWriter writer;
    private final FactWatch facts;
    private final Map<String, String> wanted = new ConcurrentHashMap<>();
    private final Map<String, Term> terms = new HashMap<>();
    private final Map<String, Term> handing = new HashMap<>();

    TestPlanner(FencedWriter writer, FactWatch facts) {
        this.writer = writer;
        this.facts = facts;
    }

    /** {@code instance} should be mastered by {@code agent}. */
    void want(String instance, String agent) {
        wanted.put(instance, agent);
    }

    /** The current term's master of {@code instance}, null if none. */
    synchronized AgentRef master(String instance) {
        Term t = terms.get(instance);
        return t == null ? null : t.master();
    }

    /** Writes {@code decisions} as one batch. */
    synchronized void write(List<Decision> decisions) {
        writer.append(decisions.stream().map(d -> new Outgoing(Topic.PLAN, 0, d.subject(),
                Envelope.decision(d, "test-planner", 0))).toList());
    }

    /** One round: reads the facts and writes the terms they call for. */
    synchronized void step() {
        Map<String, AgentRef> up = new HashMap<>();
        Set<AgentRef> down = new HashSet<>();
        Set<String> unbound = new HashSet<>();
        for (Fact f : facts.facts()) {
            switch (f) {
                case Fact.AgentUp u -> up.put(u.agent(), new AgentRef(u.agent(), u.incarnation()));
                case Fact.AgentDown d -> down.add(new AgentRef(d.agent(), d.incarnation()));
                case Fact.VipUnbound v -> unbound.add(v.agent() + "#" + v.incarnation() + "/" + v.instance() + "@"
                        + v.term());
                default -> { }
            }
        }
        up.values().removeIf(down::contains);
        wanted.forEach((instance, agent) -> reconcile(instance, up.get(agent), down, unbound));
    }

    private void reconcile(String instance, AgentRef want, Set<AgentRef> down, Set<String> unbound) {
        Term t = terms.getOrDefault(instance, new Term(null, 0));
        if (want == null || want.equals(t.master())) {
            return;
        }
        boolean free = t.master() == null || down.contains(t.master());
        Term pending = handing.get(instance);
        if (!free && pending == null) {
            write(List.of(new Decision.InstanceHandover(instance, t.master(), want, t.term())));
            handing.put(instance, t);
            return;
        }
        if (!free && !unbound.contains(t.master() + "/" + instance + "@" + t.term())) {
            return; // the old master has not released yet
        }
        handing.remove(instance);
        Term next = new Term(want, t.term() + 1);
        terms.put(instance, next);
        write(List.of(new Decision.InstanceMastered(instance, want, next.term(), List.of(), "test planner")));
    }
}
