package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

import java.util.List;

/**
 * The decider's scratch pad for one batch: how many current instances each eligible agent owns (counting a
 * pending handover for its target), updated as the batch assigns instances, and the balanced choice of a new
 * owner. Owned by one {@link Mastership#decide} call, never shared.
 * <p>
 * Counts are kept by position in the image's eligible list (an array, not a map keyed by name): the decider asks
 * for them in loops over instances and agents.
 */
final class Workspace {
    private final MastershipImage image;
    private final List<String> eligible;
    /** Instances owned, by position in {@link #eligible}; this workspace's own. */
    private final int[] counts;
    /** {@link Rendezvous#nameHash} of each eligible agent, by position in {@link #eligible} (read only). */
    private final long[] nameHashes;

    Workspace(MastershipImage image) {
        this.image = image;
        this.eligible = image.eligibleAgents();
        this.nameHashes = image.eligibleNameHashes();
        this.counts = new int[eligible.size()];
        for (int i = 0; i < image.names().count(); i++) {
            AgentRef owner = owner(image.instance(i));
            int p = owner == null ? -1 : image.eligiblePosition(owner);
            if (p >= 0) {
                counts[p]++;
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

    /** Instances owned by the eligible agent at {@code position}. */
    int countAt(int position) {
        return counts[position];
    }

    int min() {
        int min = Integer.MAX_VALUE;
        for (int c : counts) {
            min = Math.min(min, c);
        }
        return min;
    }

    int max() {
        int max = Integer.MIN_VALUE;
        for (int c : counts) {
            max = Math.max(max, c);
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
            if (counts[j] == min) {
                String a = eligible.get(j);
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
        int f = from == null ? -1 : image.eligiblePosition(from);
        if (f >= 0) {
            counts[f]--;
        }
        int t = to == null ? -1 : image.eligiblePosition(to);
        if (t >= 0) {
            counts[t]++;
        }
    }

    /** Backups for a term of instance {@code index} with {@code master}: the other eligible agents, preferred first. */
    List<String> backups(int index, AgentRef master) {
        return Rendezvous.order(index, eligible, nameHashes, master == null ? null : master.agent());
    }
}
