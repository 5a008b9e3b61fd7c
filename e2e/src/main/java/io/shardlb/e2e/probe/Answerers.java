package io.shardlb.e2e.probe;

import java.util.List;

/**
 * What an answerer monitor saw: per 10 ms round and VIP, which answerers there were. A split-brain instant is a
 * round in which two or more distinct answerers answered for one VIP.
 */
public interface Answerers extends AutoCloseable {

    /** One round's view of one VIP: when, and who answered (MACs, or listening sockets on loopback). */
    record Round(String vip, long atNanos, List<String> answerers) {
    }

    /** Starts watching {@code vip}. */
    void add(String vip);

    /** Every round recorded so far in which at least one answerer was seen. */
    List<Round> rounds();

    /** The rounds with two or more distinct answerers for one VIP: each one is a split-brain instant. */
    default List<Round> splitBrainInstants() {
        return rounds().stream().filter(r -> r.answerers().stream().distinct().count() > 1).toList();
    }

    @Override
    void close();
}
