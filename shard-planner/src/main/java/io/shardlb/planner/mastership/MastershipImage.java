package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.planner.instance.InstanceNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Immutable mastership state (instance → agent incarnation): the agents as ha-arbiter reported them, and per
 * instance its master, term, backups and pending handover. Instances are kept by index, including retired ones
 * beyond the current count (N shrank), so that a term never restarts when N grows again. Changed only by
 * {@link MastershipDelta}.
 */
public final class MastershipImage {
    /** No configuration seen, no agents, one instance without a master. */
    public static final MastershipImage EMPTY = new MastershipImage(InstanceNames.SINGLE, 0L,
            Collections.emptySortedMap(), List.of(InstanceState.INITIAL));

    private final InstanceNames names;
    private final long handoverTimeoutMs;
    private final SortedMap<String, AgentState> agents;
    private final List<InstanceState> instances;
    /**
     * The agents arranged for the decider's many membership questions; built on first use (most images are never
     * asked), immutable, so a racing second build is harmless and images with the same agents share it.
     */
    private AgentLookup lookup;
    /** A lookup of an earlier image's agents, whose names part {@link AgentLookup#of} may take over (or null). */
    private final AgentLookup prior;

    MastershipImage(InstanceNames names, long handoverTimeoutMs, SortedMap<String, AgentState> agents,
                    List<InstanceState> instances) {
        this(names, handoverTimeoutMs, agents, instances, null);
    }

    /**
     * An image with the agents of {@code sameAgents} (null: none to reuse): the lookup derived from them is
     * carried over rather than rebuilt, since most steps change instances and not agents.
     */
    MastershipImage(InstanceNames names, long handoverTimeoutMs, SortedMap<String, AgentState> agents,
                    List<InstanceState> instances, MastershipImage sameAgents) {
        this.lookup = sameAgents != null && sameAgents.agents == agents ? sameAgents.lookup : null;
        this.prior = sameAgents == null ? null : sameAgents.lookup != null ? sameAgents.lookup : sameAgents.prior;
        this.names = Objects.requireNonNull(names, "names");
        this.handoverTimeoutMs = handoverTimeoutMs;
        this.agents = agents;
        this.instances = instances;
        if (instances.size() < names.count()) {
            throw new IllegalStateException("fewer instance states than instances: states=" + instances.size()
                    + " count=" + names.count());
        }
    }

    /** Instance names and the current count N. */
    public InstanceNames names() {
        return names;
    }

    /** Log time after which an unacknowledged handover is overdue (ConfigObserved.handoverTimeoutMs). */
    public long handoverTimeoutMs() {
        return handoverTimeoutMs;
    }

    /** Every agent ever reported, by name (unmodifiable). */
    public SortedMap<String, AgentState> agents() {
        return agents;
    }

    /** The state of instance {@code index} (current or retired). */
    public InstanceState instance(int index) {
        return index < instances.size() ? instances.get(index) : InstanceState.INITIAL;
    }

    /** Number of instance states kept, at least the current count (retired instances included). */
    public int instanceStates() {
        return instances.size();
    }

    /** Names of the agents that may be given instances (Up, not draining), sorted. */
    public List<String> eligibleAgents() {
        return lookup().eligible();
    }

    /** Whether {@code ref} is the current, not-Down incarnation of its agent. */
    public boolean isLive(AgentRef ref) {
        AgentState a = agent(ref.agent());
        return a != null && a.isLive(ref);
    }

    /** Whether {@code ref} is the current incarnation of an Up, not draining agent. */
    public boolean isEligible(AgentRef ref) {
        return eligiblePosition(ref) >= 0;
    }

    /**
     * The position of {@code ref} in {@link #eligibleAgents()} when it is the current incarnation of an eligible
     * agent, else -1.
     */
    int eligiblePosition(AgentRef ref) {
        return lookup().eligiblePosition(ref);
    }

    /** {@link Rendezvous#nameHash} of each eligible agent, by position (shared: never write to it). */
    long[] eligibleNameHashes() {
        return lookup().eligibleHashes();
    }

    /** Whether {@code ref} is surely over (declared Down, it or a later incarnation). */
    public boolean isDead(AgentRef ref) {
        AgentState a = agent(ref.agent());
        return a != null && a.isDead(ref);
    }

    /** The agent called {@code name}, null if never reported. */
    AgentState agent(String name) {
        return lookup().agent(name);
    }

    private AgentLookup lookup() {
        AgentLookup l = lookup;
        if (l == null) {
            l = AgentLookup.of(agents, prior);
            lookup = l;
        }
        return l;
    }

    /** Number of current instances with a pending handover. */
    public int pendingHandovers() {
        int n = 0;
        for (int i = 0; i < names.count(); i++) {
            n += instances.get(i).pending() == null ? 0 : 1;
        }
        return n;
    }

    /** The master of each current instance (null entries for none), for tables and tests. */
    public List<AgentRef> masters() {
        List<AgentRef> out = new ArrayList<>(names.count());
        for (int i = 0; i < names.count(); i++) {
            out.add(instances.get(i).master());
        }
        return Collections.unmodifiableList(out);
    }

    List<InstanceState> instanceList() {
        return instances;
    }

    static SortedMap<String, AgentState> freeze(Map<String, AgentState> agents) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(agents));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MastershipImage m && names.equals(m.names) && handoverTimeoutMs == m.handoverTimeoutMs
                && agents.equals(m.agents) && instances.equals(m.instances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, handoverTimeoutMs, agents, instances);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MastershipImage{").append(names).append(", agents=")
                .append(agents.values()).append(", instances=[");
        for (int i = 0; i < instances.size(); i++) {
            InstanceState s = instances.get(i);
            sb.append(i == 0 ? "" : ", ").append(names.name(i)).append(": ").append(s.master()).append(" term ")
                    .append(s.term()).append(s.pending() == null ? "" : " pending " + s.pending());
        }
        return sb.append("]}").toString();
    }
}
