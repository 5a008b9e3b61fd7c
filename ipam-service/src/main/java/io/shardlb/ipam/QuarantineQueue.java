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
    static final QuarantineQueue EMPTY = new QuarantineQueue(PersistentSortedMap.empty());

    private final PersistentSortedMap<Long, Cell> byUntil;

    private QuarantineQueue(PersistentSortedMap<Long, Cell> byUntil) {
        this.byUntil = byUntil;
    }

    /** One address in a list of addresses whose quarantine ends at the same time. */
    record Cell(IpAddress ip, Cell next) {
    }

    /** This queue with {@code ip}'s quarantine ending at {@code until}. */
    QuarantineQueue add(long until, IpAddress ip) {
        Long key = until;
        return new QuarantineQueue(byUntil.put(key, new Cell(ip, byUntil.get(key))));
    }

    /** The earliest end and its addresses, or null when nothing is quarantined. */
    Map.Entry<Long, Cell> first() {
        return byUntil.firstEntry();
    }

    /** This queue without the addresses of its earliest end. */
    QuarantineQueue withoutFirst() {
        Map.Entry<Long, Cell> f = byUntil.firstEntry();
        return f == null ? this : new QuarantineQueue(byUntil.remove(f.getKey()));
    }
}
