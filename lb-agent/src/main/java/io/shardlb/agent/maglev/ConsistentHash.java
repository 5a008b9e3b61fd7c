package io.shardlb.agent.maglev;

import java.util.List;

/**
 * Consistent hashing as a pure function: a lookup table of {@code size} slots, each holding the index (into
 * {@code endpointKeys}) of the endpoint that serves it. The table depends on the set of keys only, never on
 * their order, so every agent computes the same one.
 */
public interface ConsistentHash {

    /** The table for these endpoint keys; empty keys give a table of -1. */
    int[] ringFor(List<String> endpointKeys, int size);
}
