package io.shardlb.ipam;

import io.shardlb.events.schema.Pool;

import java.math.BigInteger;

/**
 * One configured pool, reduced to the inclusive range of addresses it hands out. It is never materialized: an IPv6
 * /64 is two numbers.
 *
 * @param family the pool's family
 * @param name   its name ({@code defaultPool})
 * @param text   the range as configured ({@code 192.168.80.250/24}, {@code 198.18.0.10-198.18.0.20})
 * @param first  the first address handed out (the host part of a CIDR)
 * @param last   the last address handed out (never an IPv4 broadcast address, except for /31 and /32)
 */
public record IpPool(IpFamily family, String name, String text, IpAddress first, IpAddress last) {

    /** The number of addresses the pool can hand out. */
    public BigInteger size() {
        return IpAddress.count(first, last);
    }

    /** Whether the pool hands out {@code ip}. */
    public boolean contains(IpAddress ip) {
        return ip.within(first, last);
    }

    /** The pool as written in the flags and in {@code ConfigObserved}. */
    public Pool toPool() {
        return new Pool(name, text);
    }

    @Override
    public String toString() {
        return name + "=" + text;
    }
}
