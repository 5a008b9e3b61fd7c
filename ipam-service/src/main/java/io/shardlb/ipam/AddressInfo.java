package io.shardlb.ipam;

import java.util.List;

/**
 * Read side: who holds an address, or until when it is quarantined.
 *
 * @param ip                the address
 * @param pool              the pool it came from ("" when static outside every pool)
 * @param holders           the Services holding it; empty when quarantined
 * @param quarantinedUntil  log time its quarantine ends; -1 when in use
 */
public record AddressInfo(String ip, String pool, List<Holding> holders, long quarantinedUntil) {

    /** Whether the address is held by at least one Service. */
    public boolean inUse() {
        return !holders.isEmpty();
    }
}
