package io.shardlb.ipam;

/**
 * A released address waiting for its quarantine to end, so a client's cached ARP entry does not reach a new owner.
 *
 * @param pool  the pool it was handed out from
 * @param until the log time from which it may be handed out again
 */
record Quarantine(String pool, long until) {
}
