package io.shardlb.ipam;

import io.shardlb.events.schema.Pool;

/** Turns one {@code name=CIDR} or {@code name=start-end} entry into an {@link IpPool}, with kube-loxilb's semantics. */
final class PoolParser {
    /** IPv4 addresses are kept in {@code ::ffff:0:0/96}; an IPv6 pool may not reach into it. */
    private static final IpAddress MAPPED_FIRST = IpAddress.v4(0);
    private static final IpAddress MAPPED_LAST = IpAddress.v4(0xffff_ffffL);

    private PoolParser() {
    }

    static Pool split(IpFamily family, String entry) {
        String e = entry.trim();
        int eq = e.indexOf('=');
        if (eq <= 0) {
            throw new PoolConfigException(family.flag(), "missing name= in \"" + e
                    + "\" (expected name=CIDR or name=start-end)");
        }
        return new Pool(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
    }

    static IpPool parse(IpFamily family, Pool pool) {
        String text = pool.range();
        String where = pool.name() + "=" + text;
        if (pool.name().isEmpty()) {
            throw new PoolConfigException(family.flag(), "missing name= in \"" + where + "\"");
        }
        IpPool p;
        if (text.indexOf('/') >= 0) {
            p = cidr(family, pool.name(), text, where);
        } else if (text.indexOf('-') > 0) {
            p = range(family, pool.name(), text, where);
        } else {
            throw new PoolConfigException(family.flag(), "not a CIDR or start-end range: " + where);
        }
        if (family == IpFamily.V6 && p.first().compareTo(MAPPED_LAST) <= 0 && p.last().compareTo(MAPPED_FIRST) >= 0) {
            throw new PoolConfigException(family.flag(), "IPv4-mapped addresses (::ffff:0:0/96) are not allowed: "
                    + where);
        }
        return p;
    }

    private static IpAddress address(IpFamily family, String text, String where) {
        IpAddress a;
        try {
            a = IpAddress.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new PoolConfigException(family.flag(), "bad address \"" + text + "\" in " + where);
        }
        if (family == IpFamily.V6 && a.family() == IpFamily.V4 && text.indexOf(':') >= 0) {
            throw new PoolConfigException(family.flag(), "IPv4-mapped addresses (::ffff:0:0/96) are not allowed: "
                    + where);
        }
        if (a.family() != family) {
            throw new PoolConfigException(family.flag(), (family == IpFamily.V4 ? "IPv6" : "IPv4")
                    + " address in an " + family.kubeName() + " pool: " + where
                    + (family == IpFamily.V4 ? " (IPv6 pools go in --cidr6Pools)" : " (IPv4 pools go in --cidrPools)"));
        }
        return a;
    }

    private static IpPool range(IpFamily family, String name, String text, String where) {
        int dash = text.indexOf('-');
        IpAddress first = address(family, text.substring(0, dash), where);
        IpAddress last = address(family, text.substring(dash + 1), where);
        if (last.compareTo(first) < 0) {
            throw new PoolConfigException(family.flag(), "range end precedes its start: " + where);
        }
        return new IpPool(family, name, text, first, last);
    }

    private static IpPool cidr(IpFamily family, String name, String text, String where) {
        int slash = text.indexOf('/');
        IpAddress host = address(family, text.substring(0, slash), where);
        int bits = family == IpFamily.V4 ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new PoolConfigException(family.flag(), "prefix length must be 0.." + bits + ": " + where);
        }
        int hostBits = bits - prefix;
        // mask over the 128-bit number; IPv4 lives in the low 32 bits of lo
        long hiMask = hostBits >= 64 + 64 ? 0 : hostBits > 64 ? ~((1L << (hostBits - 64)) - 1) : -1L;
        long loMask = hostBits >= 64 ? 0 : ~((1L << hostBits) - 1);
        IpAddress network = new IpAddress(host.hi() & hiMask, host.lo() & loMask);
        IpAddress end = new IpAddress(host.hi() | ~hiMask, host.lo() | ~loMask);
        if (hostBits <= 1) {
            // /32 and /31 (RFC 3021), /128 and /127 (RFC 6164): every address is usable; start at the host part
            return new IpPool(family, name, text, host, end);
        }
        IpAddress afterNetwork = network.next();
        IpAddress first = host.compareTo(afterNetwork) < 0 ? afterNetwork : host;
        // IPv4: the broadcast address is never handed out; IPv6 has none, so the block's last address is usable
        IpAddress last = family == IpFamily.V4 ? end.previous() : end;
        if (first.compareTo(last) > 0) {
            throw new PoolConfigException(family.flag(), "the host part leaves no usable address: " + where);
        }
        return new IpPool(family, name, text, first, last);
    }
}
