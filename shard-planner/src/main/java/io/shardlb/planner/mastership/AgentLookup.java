package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The agents of one {@link MastershipImage} arranged for the decider's many questions: each agent by name (a hash
 * probe instead of a walk down the sorted map), the eligible names in order with their positions, incarnations
 * and rendezvous name hashes. Immutable once built (no array is written after), so images share it freely.
 * <p>
 * Agents are never forgotten, so consecutive images almost always hold the same names and differ in one agent's
 * state: the names part (sorted names, their index and hashes) is taken over from the previous lookup when the
 * names are the same, and only the per-agent arrays are filled again, without hashing.
 */
final class AgentLookup {
    /** Every agent name, sorted, with its position in that order and its {@link Rendezvous#nameHash}. */
    private record Names(String[] sorted, Map<String, Integer> index, long[] hashes) {
    }

    private final Names names;
    /** The state of each agent, by name position. */
    private final AgentState[] states;
    /** The position in {@link #eligible} of each agent, by name position; -1 when it is not eligible. */
    private final int[] eligiblePositions;
    private final List<String> eligible;
    /** {@link Rendezvous#nameHash} of each eligible agent, by position in {@link #eligible}. */
    private final long[] eligibleHashes;

    private AgentLookup(Names names, AgentState[] states, int[] eligiblePositions, List<String> eligible,
                        long[] eligibleHashes) {
        this.names = names;
        this.states = states;
        this.eligiblePositions = eligiblePositions;
        this.eligible = eligible;
        this.eligibleHashes = eligibleHashes;
    }

    /** The lookup of {@code agents}, reusing the names part of {@code prior} (null: none) when the names agree. */
    static AgentLookup of(SortedMap<String, AgentState> agents, AgentLookup prior) {
        // one walk of the agents: their states, checked against the prior names as it goes
        AgentState[] states = new AgentState[agents.size()];
        boolean same = prior != null && prior.names.sorted().length == states.length;
        int at = 0;
        for (Map.Entry<String, AgentState> e : agents.entrySet()) {
            if (same) {
                String known = prior.names.sorted()[at];
                same = known == e.getKey() || known.equals(e.getKey());
            }
            states[at++] = e.getValue();
        }
        Names n = same ? prior.names : names(agents);
        int count = n.sorted().length;
        int[] positions = new int[count];
        List<String> eligible = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AgentState a = states[i];
            positions[i] = a.eligible() ? eligible.size() : -1;
            if (a.eligible()) {
                eligible.add(n.sorted()[i]);
            }
        }
        long[] hashes = new long[eligible.size()];
        for (int k = 0; k < count; k++) {
            if (positions[k] >= 0) {
                hashes[positions[k]] = n.hashes()[k];
            }
        }
        return new AgentLookup(n, states, positions, List.copyOf(eligible), hashes);
    }

    private static Names names(SortedMap<String, AgentState> agents) {
        String[] sorted = agents.keySet().toArray(new String[0]);
        Map<String, Integer> index = HashMap.newHashMap(sorted.length);
        long[] hashes = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            index.put(sorted[i], i);
            hashes[i] = Rendezvous.nameHash(sorted[i]);
        }
        return new Names(sorted, index, hashes);
    }

    /** The agent called {@code name}, null if never reported. */
    AgentState agent(String name) {
        Integer i = names.index().get(name);
        return i == null ? null : states[i];
    }

    /** Names of the eligible agents, sorted. */
    List<String> eligible() {
        return eligible;
    }

    /**
     * The position of {@code ref} in {@link #eligible} when it is the current incarnation of an eligible agent,
     * else -1.
     */
    int eligiblePosition(AgentRef ref) {
        Integer i = names.index().get(ref.agent());
        if (i == null) {
            return -1;
        }
        int p = eligiblePositions[i];
        return p >= 0 && states[i].incarnation() == ref.incarnation() ? p : -1;
    }

    /** {@link Rendezvous#nameHash} of each eligible agent, by position (shared: never write to it). */
    long[] eligibleHashes() {
        return eligibleHashes;
    }
}
