package io.shardlb.agent.forwarder;

import java.net.InetAddress;
import java.util.Arrays;

/** An address range {@code a.b.c.d/n} (IPv4 or IPv6), as in {@code spec.loadBalancerSourceRanges}. */
public record Cidr(InetAddress network, int prefix) {
    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix out of range: prefix=" + prefix + " for " + network);
        }
    }

    /** Parses {@code ip/n}; a bare address is a host route. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        InetAddress a = Addresses.parse(slash < 0 ? t : t.substring(0, slash));
        int prefix = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(t.substring(slash + 1));
        return new Cidr(a, prefix);
    }

    /** True if {@code a} lies in this range (an IPv4 range never contains an IPv6 address). */
    public boolean contains(InetAddress a) {
        byte[] n = network.getAddress();
        byte[] x = a.getAddress();
        if (n.length != x.length) {
            return false;
        }
        int full = prefix / 8;
        if (!Arrays.equals(n, 0, full, x, 0, full)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (n[full] & mask) == (x[full] & mask);
    }

    /** True for IPv4 ranges. */
    public boolean isIpv4() {
        return network.getAddress().length == 4;
    }

    /** IPv4 netmask as an int (0 for /0). */
    public int ipv4Mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** IPv4 network as an int, masked. */
    public int ipv4Network() {
        return Addresses.toInt(network) & ipv4Mask();
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
