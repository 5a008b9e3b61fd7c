package io.shardlb.ipam;

/** Where one family's address of a request must come from. */
sealed interface Target {

    /** A static address; {@code pool} is null when it lies outside every pool. */
    record Static(IpAddress ip, IpPool pool) implements Target {
        String poolName() {
            return pool == null ? "" : pool.name();
        }
    }

    /** The lowest suitable address of a pool. */
    record FromPool(IpPool pool) implements Target {
    }
}
