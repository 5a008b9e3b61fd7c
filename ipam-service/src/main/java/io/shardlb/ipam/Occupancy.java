package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.Map;

/**
 * Occupied addresses (in use or quarantined) as coalesced runs {@code start -> end}: no two runs touch. The lowest
 * free address of a pool is then one floor lookup: either the pool's first address or the one right after the run
 * that covers it. So allocation is O(log n) in the addresses in use, and a pool is never materialized.
 */
final class Occupancy {
    private static final IpAddress ZERO = new IpAddress(0, 0);
    private static final IpAddress MAX = new IpAddress(-1L, -1L);

    private Occupancy() {
    }

    /** The lowest address in {@code [first, last]} covered by no run, or null. */
    static IpAddress lowestFree(PersistentSortedMap<IpAddress, IpAddress> runs, IpAddress first, IpAddress last) {
        Map.Entry<IpAddress, IpAddress> r = runs.floorEntry(first);
        IpAddress candidate = first;
        if (r != null && r.getValue().compareTo(first) >= 0) {
            if (r.getValue().equals(MAX)) {
                return null;
            }
            candidate = r.getValue().next();
        }
        return candidate.compareTo(last) <= 0 ? candidate : null;
    }

    /** Whether {@code ip} lies in a run. */
    static boolean covered(PersistentSortedMap<IpAddress, IpAddress> runs, IpAddress ip) {
        Map.Entry<IpAddress, IpAddress> r = runs.floorEntry(ip);
        return r != null && r.getValue().compareTo(ip) >= 0;
    }

    /** Adds a free address. */
    static PersistentSortedMap<IpAddress, IpAddress> occupy(PersistentSortedMap<IpAddress, IpAddress> runs,
                                                            IpAddress a) {
        Map.Entry<IpAddress, IpAddress> left = a.equals(ZERO) ? null : runs.floorEntry(a.previous());
        boolean joinsLeft = left != null && left.getValue().equals(a.previous());
        IpAddress rightEnd = a.equals(MAX) ? null : runs.get(a.next());
        if (joinsLeft && rightEnd != null) {
            return runs.remove(a.next()).put(left.getKey(), rightEnd);
        }
        if (joinsLeft) {
            return runs.put(left.getKey(), a);
        }
        if (rightEnd != null) {
            return runs.remove(a.next()).put(a, rightEnd);
        }
        return runs.put(a, a);
    }

    /** Removes an occupied address. */
    static PersistentSortedMap<IpAddress, IpAddress> vacate(PersistentSortedMap<IpAddress, IpAddress> runs,
                                                            IpAddress a) {
        Map.Entry<IpAddress, IpAddress> r = runs.floorEntry(a);
        if (r == null || r.getValue().compareTo(a) < 0) {
            throw new IllegalStateException("address not occupied: " + a);
        }
        IpAddress start = r.getKey();
        IpAddress end = r.getValue();
        PersistentSortedMap<IpAddress, IpAddress> out = runs;
        if (start.equals(a)) {
            out = out.remove(a);
        } else {
            out = out.put(start, a.previous());
        }
        if (!end.equals(a)) {
            out = out.put(a.next(), end);
        }
        return out;
    }
}
