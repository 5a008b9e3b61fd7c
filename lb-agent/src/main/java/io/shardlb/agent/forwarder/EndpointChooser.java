package io.shardlb.agent.forwarder;

import io.shardlb.agent.maglev.ConsistentHash;
import io.shardlb.agent.maglev.MaglevHash;
import java.util.List;

/**
 * Endpoint selection for new flows, shared by every forwarder so they all pick alike: {@code hash} and {@code
 * persist} read a Maglev table (by flow hash, by source hash), {@code rr} turns a cursor, {@code lc} scans the
 * active-flow counts that the forwarder keeps here. Not thread-safe: one datapath thread owns it. Allocation-free
 * after construction.
 */
public final class EndpointChooser {
    private static final ConsistentHash MAGLEV = new MaglevHash();

    private final Selection selection;
    private final int[] table;
    private final long[] active;
    private int cursor;

    /** Builds the Maglev table (control path: this allocates and costs about size × endpoints steps). */
    public EndpointChooser(List<Endpoint> endpoints, Selection selection) {
        this.selection = selection;
        this.active = new long[endpoints.size()];
        boolean needsTable = selection == Selection.HASH || selection == Selection.PERSIST;
        this.table = needsTable && !endpoints.isEmpty()
                ? MAGLEV.ringFor(endpoints.stream().map(Endpoint::key).toList(), MaglevHash.DEFAULT_SIZE)
                : null;
    }

    /** Index of the endpoint for a new flow, or -1 when there is none. */
    public int choose(int flowHash, int sourceHash) {
        int n = active.length;
        if (n == 0) {
            return -1;
        }
        return switch (selection) {
            case HASH -> table[(flowHash & 0x7FFF_FFFF) % table.length];
            case PERSIST -> table[(sourceHash & 0x7FFF_FFFF) % table.length];
            case RR -> {
                int i = cursor;
                cursor = i + 1 == n ? 0 : i + 1;
                yield i;
            }
            case LC -> leastLoaded();
        };
    }

    private int leastLoaded() {
        int best = 0;
        for (int i = 1; i < active.length; i++) {
            if (active[i] < active[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A flow started on endpoint {@code i}. */
    public void flowStarted(int i) {
        active[i]++;
    }

    /** A flow on endpoint {@code i} ended. */
    public void flowEnded(int i) {
        if (active[i] > 0) {
            active[i]--;
        }
    }

    /** Number of endpoints. */
    public int size() {
        return active.length;
    }

    /** Carries the active counts of endpoints kept from an older chooser (by index mapping old → new). */
    public void inheritActive(EndpointChooser old, int[] oldToNew) {
        for (int i = 0; i < oldToNew.length; i++) {
            if (oldToNew[i] >= 0) {
                active[oldToNew[i]] = old.active[i];
            }
        }
    }
}
