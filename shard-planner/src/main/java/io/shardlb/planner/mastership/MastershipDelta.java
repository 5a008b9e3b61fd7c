package io.shardlb.planner.mastership;

import io.shardlb.events.image.Delta;
import io.shardlb.events.image.ReplayException;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.instance.InstanceNames;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * Folds facts and decisions into a {@link MastershipImage}. Facts only record what was observed (agents Up,
 * Down, draining; releases; configuration); decisions ({@code InstanceMastered}, {@code InstanceHandover}) are
 * the only records that change masters and terms. A decision that breaks an invariant (a term that does not
 * grow, a handover of a term that is not current) is a {@link ReplayException}: for the planner that is fatal.
 * Records of no concern to mastership are ignored.
 */
public final class MastershipDelta implements Delta<MastershipImage> {
    /** The id of the envelopes wrapping bare payloads (never written anywhere). */
    private static final String LOCAL_ID = "local";
    private final MastershipImage base;
    private InstanceNames names;
    private long handoverTimeoutMs;
    /**
     * The agents as changed by this delta (null: unchanged), persistent so that a change shares the rest with the
     * base and an image can take the map as it is (an agent fact used to copy all of them).
     */
    private PSortedMap<String, AgentState> agents;
    private List<InstanceState> instances;

    public MastershipDelta(MastershipImage base) {
        this.base = base;
        this.names = base.names();
        this.handoverTimeoutMs = base.handoverTimeoutMs();
    }

    @Override
    public void replay(LogEntry entry) {
        switch (entry.envelope().payload()) {
            case Fact fact -> replayFact(fact, entry);
            case Decision decision -> replayDecision(decision, entry);
            default -> {
                // heartbeats and snapshot chunks never reach the planner's fold; nothing to do with them here
            }
        }
    }

    /** Folds a fact read at {@code logTime} (no log position: for callers that hold bare payloads). */
    public void replay(Payload payload, long logTime) {
        Topic topic = payload instanceof Decision ? Topic.PLAN : Topic.EVENTS;
        // type and id given: left empty, the envelope would name the type by reflection and draw a random UUID
        // (a SecureRandom read) for a wrapper that only carries the log time and names the record in errors
        replay(new LogEntry(topic, 0, -1L, new Envelope(Envelope.CURRENT_VERSION, payload.getClass().getSimpleName(),
                LOCAL_ID, logTime, "", -1L, payload)));
    }

    private void replayFact(Fact fact, LogEntry entry) {
        switch (fact) {
            case Fact.ConfigObserved c -> {
                names = InstanceNames.of(c);
                handoverTimeoutMs = c.handoverTimeoutMs();
                List<InstanceState> list = instances();
                while (list.size() < names.count()) {
                    list.add(InstanceState.INITIAL);
                }
            }
            case Fact.AgentUp up -> onUp(up);
            case Fact.AgentDown down -> onDown(down);
            case Fact.AgentDraining d -> {
                AgentState a = agents().get(d.agent());
                if (a != null && a.incarnation() == d.incarnation() && a.status() == AgentState.Status.UP) {
                    put(new AgentState(a.agent(), a.incarnation(), AgentState.Status.DRAINING,
                            a.downThrough()));
                }
            }
            case Fact.VipUnbound u -> onUnbound(u);
            default -> {
                // services, endpoints, pods, beats' bindings and ticks do not change mastership state
            }
        }
    }

    private void onUp(Fact.AgentUp up) {
        AgentState a = agents().get(up.agent());
        // Only a newer incarnation comes up: a Down incarnation is over for good (DESIGN.md invariant 5).
        if (a == null || up.incarnation() > a.incarnation()) {
            long downThrough = a == null ? Long.MIN_VALUE : a.downThrough();
            put(new AgentState(a == null ? up.agent() : a.agent(), up.incarnation(), AgentState.Status.UP,
                    downThrough));
        }
    }

    private void onDown(Fact.AgentDown down) {
        AgentState a = agents().get(down.agent());
        if (a == null || down.incarnation() >= a.incarnation()) {
            long through = a == null ? down.incarnation() : Math.max(a.downThrough(), down.incarnation());
            put(new AgentState(a == null ? down.agent() : a.agent(), down.incarnation(), AgentState.Status.DOWN,
                    through));
        } else if (down.incarnation() > a.downThrough()) {
            put(new AgentState(a.agent(), a.incarnation(), a.status(), down.incarnation()));
        }
    }

    private void onUnbound(Fact.VipUnbound u) {
        OptionalInt index = names.anyIndexOf(u.instance());
        if (index.isEmpty() || index.getAsInt() >= instances().size()) {
            return;
        }
        InstanceState s = instances().get(index.getAsInt());
        Handover h = s.pending();
        if (h != null && h.term() == u.term() && h.from().equals(new AgentRef(u.agent(), u.incarnation()))) {
            instances().set(index.getAsInt(), new InstanceState(s.master(), s.term(), s.backups(), h.acknowledge()));
        }
    }

    private void replayDecision(Decision decision, LogEntry entry) {
        switch (decision) {
            case Decision.InstanceMastered m -> {
                int i = index(m.instance(), entry);
                InstanceState s = instances().get(i);
                if (m.term() <= s.term()) {
                    throw new ReplayException(entry, "term does not grow for " + m.instance() + ": term="
                            + m.term() + " current=" + s.term());
                }
                instances().set(i, new InstanceState(m.master(), m.term(), m.backups(), null));
            }
            case Decision.InstanceHandover h -> {
                int i = index(h.instance(), entry);
                InstanceState s = instances().get(i);
                if (s.pending() != null || h.term() != s.term() || s.master() == null
                        || !s.master().equals(h.from())) {
                    throw new ReplayException(entry, "handover does not match " + h.instance() + ": master="
                            + s.master() + " term=" + s.term() + " pending=" + s.pending());
                }
                instances().set(i, new InstanceState(s.master(), s.term(), s.backups(),
                        new Handover(h.from(), h.to(), h.term(), entry.logTime(), false)));
            }
            default -> {
                // placement, IPAM and rule decisions belong to other images
            }
        }
    }

    private int index(String instance, LogEntry entry) {
        OptionalInt index = names.anyIndexOf(instance);
        if (index.isEmpty()) {
            throw new ReplayException(entry, "unknown instance " + instance + " (names " + names + ")");
        }
        List<InstanceState> list = instances();
        while (list.size() <= index.getAsInt()) {
            list.add(InstanceState.INITIAL);
        }
        return index.getAsInt();
    }

    private PSortedMap<String, AgentState> agents() {
        if (agents == null) {
            // images built by deltas hold persistent maps; a restored or empty one is converted once
            agents = base.agents() instanceof PSortedMap<String, AgentState> p ? p
                    : TreePMap.fromSortedMap(base.agents());
        }
        return agents;
    }

    /**
     * Records {@code a}. Callers pass the name already held when the agent is known, so that every state and
     * every reference made from it share one name instance: the decider's many lookups by name then compare by
     * identity.
     */
    private void put(AgentState a) {
        agents = agents().plus(a.agent(), a);
    }

    private List<InstanceState> instances() {
        if (instances == null) {
            instances = new ArrayList<>(base.instanceList());
        }
        return instances;
    }

    @Override
    public MastershipImage apply() {
        if (agents == null && instances == null && names.equals(base.names())
                && handoverTimeoutMs == base.handoverTimeoutMs()) {
            return base;
        }
        SortedMap<String, AgentState> frozen = agents != null ? agents : base.agents();
        return new MastershipImage(names, handoverTimeoutMs, frozen,
                instances == null ? base.instanceList() : List.copyOf(instances), base);
    }
}
