package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentSortedMap;

/**
 * An address in use: the pool it was handed out from ("" for a static address outside every pool) and its
 * holders. Unique mode allows one holder; shared mode several, with pairwise disjoint ports.
 */
record InUse(String pool, PersistentSortedMap<String, Holder> holders) {

    /** One Service's hold on the address. {@code keptReason} is "" unless an {@code AllocationKept} said why. */
    record Holder(PortSet ports, String keptReason) {
    }
}
