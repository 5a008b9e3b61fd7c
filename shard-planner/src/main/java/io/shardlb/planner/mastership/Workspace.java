package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decider's scratch pad for one batch: how many current instances each eligible agent owns (counting a
 * pending handover for its target), updated as the batch assigns instances, and the balanced choice of a new
 * owner. Owned by one {@link Mastership#decide} call, never shared.
 */
final class Workspace {
    private final MastershipImage image;
    private final List<String> eligible;
    private final Map<String, Integer> counts;
    /** {@link Rendezvous#nameHash} of each eligible agent, by position in {@link #eligible}. */
    private final long[] nameHashes;

    Workspace(MastershipImage image) {
        this.image = image;
        this.eligible = image.eligibleAgents();
        this.counts = HashMap.newHashMap(eligible.size());
        this.nameHashes = new long[eligible.size()];
        for (int j = 0; j < eligible.size(); j++) {
            counts.put(eligible.get(j), 0);
            nameHashes[j] = Rendezvous.nameHash(eligible.get(j));
        }
        for (int i = 0; i < image.names().count(); i++) {
            AgentRef owner = owner(image.instance(i));
            if (owner != null && image.isEligible(owner)) {
                counts.merge(owner.agent(), 1, Integer::sum);
            }
        }
    }

    /** Who will own the instance once its pending handover (if any) completes. */
    static AgentRef owner(InstanceState s) {
        return s.pending() != null ? s.pending().to() : s.master();
    }

    List<String> eligible() {
        return eligible;
    }

    int count(String agent) {
        return counts.getOrDefault(agent, 0);
    }

    int min() {
        int min = Integer.MAX_VALUE;
        for (String a : eligible) {
            min = Math.min(min, count(a));
        }
        return min;
    }

    int max() {
        int max = Integer.MIN_VALUE;
        for (String a : eligible) {
            max = Math.max(max, count(a));
        }
        return max;
    }

    /**
     * The eligible agent to own instance {@code index}: the first in rendezvous order among those with the
     * fewest instances, so that giving it the instance keeps masters per agent within one of each other.
     * Null when no agent is eligible.
     */
    AgentRef pick(int index) {
        if (eligible.isEmpty()) {
            return null;
        }
        int min = min();
        String best = null;
        long bestWeight = 0;
        for (int j = 0; j < eligible.size(); j++) {
            String a = eligible.get(j);
            if (count(a) == min) {
                long weight = weight(index, j);
                if (best == null || Rendezvous.preferred(weight, a, bestWeight, best)) {
                    best = a;
                    bestWeight = weight;
                }
            }
        }
        return image.agent(best).ref();
    }

    /** {@link Rendezvous#weight} of the eligible agent at position {@code position} for instance {@code index}. */
    long weight(int index, int position) {
        return Rendezvous.weight(nameHashes[position], index);
    }

    /** Records that {@code from} (may be null or ineligible) no longer owns an instance and {@code to} does. */
    void move(AgentRef from, AgentRef to) {
        if (from != null && image.isEligible(from)) {
            counts.merge(from.agent(), -1, Integer::sum);
        }
        if (to != null && image.isEligible(to)) {
            counts.merge(to.agent(), 1, Integer::sum);
        }
    }

    /** Backups for a term of instance {@code index} with {@code master}: the other eligible agents, preferred first. */
    List<String> backups(int index, AgentRef master) {
        List<String> others = new ArrayList<>(eligible.size());
        for (String a : eligible) {
            if (master == null || !a.equals(master.agent())) {
                others.add(a);
            }
        }
        return Rendezvous.order(index, others);
    }
}
