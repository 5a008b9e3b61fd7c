package io.shardlb.ipam;

/**
 * A released address waiting for its quarantine to end, so a client's cached ARP entry does not reach a new owner.
 *
 * @param pool  the pool it was handed out from
 * @param until the log time from which it may be handed out again
 */
record Quarantine(String pool, long until) {

    /** Orders quarantines by their end, so ending them at a log time is a walk from the front. */
    record Key(long until, IpAddress ip) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(until, o.until);
            return c != 0 ? c : ip.compareTo(o.ip);
        }
    }
}
