package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.Map;

/**
 * Quarantined addresses by the log time their quarantine ends, so ending the quarantines a log time has passed is
 * a walk from the front. Addresses released at the same log time end together, so they share one entry: a
 * persistent list that a release extends by one cell instead of copying a path through a tree of every quarantined
 * address. The order within one entry does not matter: they all end at once.
 */
final class QuarantineQueue {
    static final QuarantineQueue EMPTY = new QuarantineQueue(PersistentSortedMap.empty(), Long.MAX_VALUE);

    private final PersistentSortedMap<Long, Cell> byUntil;
    /**
     * The earliest end ({@link Long#MAX_VALUE} when none): every fact moves the clock and asks whether a quarantine
     * has ended, and nearly always none has. The answer is one comparison, not a walk to the tree's first leaf.
     */
    private final long earliest;

    private QuarantineQueue(PersistentSortedMap<Long, Cell> byUntil, long earliest) {
        this.byUntil = byUntil;
        this.earliest = earliest;
    }

    /** One address in a list of addresses whose quarantine ends at the same time. */
    record Cell(IpAddress ip, Cell next) {
    }

    /** This queue with {@code ip}'s quarantine ending at {@code until}. */
    QuarantineQueue add(long until, IpAddress ip) {
        Long key = until;
        return new QuarantineQueue(byUntil.put(key, new Cell(ip, byUntil.get(key))), Math.min(earliest, until));
    }

    /** Whether some quarantine ends at or before {@code now}. */
    boolean anyEndsBy(long now) {
        return earliest <= now;
    }

    /** The earliest end and its addresses, or null when nothing is quarantined. */
    Map.Entry<Long, Cell> first() {
        return byUntil.firstEntry();
    }

    /** This queue without the addresses of its earliest end. */
    QuarantineQueue withoutFirst() {
        Map.Entry<Long, Cell> f = byUntil.firstEntry();
        if (f == null) {
            return this;
        }
        PersistentSortedMap<Long, Cell> rest = byUntil.remove(f.getKey());
        Map.Entry<Long, Cell> next = rest.firstEntry();
        return new QuarantineQueue(rest, next == null ? Long.MAX_VALUE : next.getKey());
    }
}
