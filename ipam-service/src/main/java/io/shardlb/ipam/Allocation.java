package io.shardlb.ipam;

import java.math.BigInteger;
import java.util.List;

/** The typed answer to {@link IpamManager#allocate}: never null, never a boolean. */
public sealed interface Allocation permits Allocation.Granted, Allocation.Exhausted, Allocation.Conflict,
        Allocation.Invalid {

    /** The Service asked about. */
    String service();

    /** A human explanation, fit for an Event. */
    String reason();

    /** The Service holds one VIP per requested family (unchanged, updated or new). */
    record Granted(String service, List<Vip> vips) implements Allocation {
        public Granted {
            vips = List.copyOf(vips);
        }

        @Override
        public String reason() {
            return "granted " + vips.stream().map(Vip::ip).toList();
        }
    }

    /**
     * Every address of the pool is in use or quarantined; the Service waits in the pending queue and is retried
     * when an address frees or the pool grows.
     */
    record Exhausted(String service, IpFamily family, String pool, BigInteger size, String reason)
            implements Allocation {
    }

    /**
     * The static address asked for is held (unique mode), shares ports with its holders (shared mode), is shared
     * with Services the caller excluded, or is in quarantine. Never a second owner; the Service waits and is
     * retried.
     */
    record Conflict(String service, String ip, List<String> holders, String reason) implements Allocation {
        public Conflict {
            holders = List.copyOf(holders);
        }
    }

    /** The request cannot be satisfied as written (unknown pool, bad static address, family without pools). */
    record Invalid(String service, String reason) implements Allocation {
    }
}
