package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/**
 * Internet checksums (RFC 1071) over frames.
 *
 * <p>Where incremental update (RFC 1624) is safe: only where the input checksum is known to be complete. That
 * is the IPv4 header checksum, which no sender leaves to offload. L4 checksums are never updated incrementally
 * here: a frame from a veth peer with TX checksum offload carries only the pseudo-header sum (CHECKSUM_PARTIAL),
 * nothing in a raw frame says so, and an incremental fix of such a sum is wrong at the receiver (measured:
 * shared notes, af-xdp-on-veth). So every rewritten TCP/UDP/ICMP packet gets its L4 checksum recomputed in full.
 */
public final class Checksums {
    private Checksums() {
    }

    /** One's-complement sum of {@code len} bytes at {@code off}, added to {@code acc} (not folded). */
    public static long sum(MemorySegment s, long off, int len, long acc) {
        int i = 0;
        // 32-bit words summed in a long, two per read: the end-around carries are folded at the end (RFC 1071,
        // 4.1); below 2^31 bytes the sum cannot overflow
        for (; i + 8 <= len; i += 8) {
            long w = Bytes.u64(s, off + i);
            acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        int rest = len - i;
        if (rest == 0) {
            return acc;
        }
        if (len >= 8) {
            // the last 1-7 bytes: the 8 bytes ending there, shifted so the tail sits where a read at off + i puts
            // it with zeros after (one access instead of three)
            long w = Bytes.u64(s, off + len - 8) << ((8 - rest) * 8);
            return acc + (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        return sumShort(s, off, len, acc);
    }

    /** {@link #sum} of fewer than 8 bytes. */
    private static long sumShort(MemorySegment s, long off, int len, long acc) {
        int i = 0;
        if (i + 4 <= len) {
            acc += Bytes.u32(s, off + i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= len) {
            acc += Bytes.u16(s, off + i);
            i += 2;
        }
        if (i < len) {
            acc += (long) Bytes.u8(s, off + i) << 8;
        }
        return acc;
    }

    /** Folds a sum to 16 bits and complements it. */
    public static int finish(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }

    /** Recomputes the IPv4 header checksum in full. */
    public static void ipv4Header(MemorySegment s, long ipOff, int headerLength) {
        Bytes.putU16(s, ipOff + Ipv4Flyweight.CHECKSUM_OFFSET, 0);
        Bytes.putU16(s, ipOff + Ipv4Flyweight.CHECKSUM_OFFSET, finish(sum(s, ipOff, headerLength, 0)));
    }

    /**
     * RFC 1624 eqn. 3 for a 32-bit field change: {@code HC' = ~(~HC + ~m + m')}. Safe for the IPv4 header only
     * (see the class comment).
     */
    public static int update32(int checksum, int oldValue, int newValue) {
        long acc = (~checksum & 0xFFFF) + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16 & 0xFFFF) + (newValue & 0xFFFF);
        return finish(acc);
    }

    /**
     * Recomputes a TCP or UDP checksum in full over the IPv4 pseudo-header and {@code l4Length} bytes. A UDP
     * result of 0 is sent as 0xFFFF (0 means "no checksum").
     */
    public static void l4Ipv4(MemorySegment s, long ipOff, long l4Off, int l4Length, int protocol, int csumOffset) {
        l4Ipv4(s, l4Off, l4Length, protocol, csumOffset, Bytes.u32(s, ipOff + Ipv4Flyweight.SRC_OFFSET),
                Bytes.u32(s, ipOff + Ipv4Flyweight.DST_OFFSET));
    }

    /**
     * {@link #l4Ipv4(MemorySegment, long, long, int, int, int)} with the pseudo-header's addresses given (the
     * engine has just written them): still a full sum over every L4 byte.
     */
    public static void l4Ipv4(MemorySegment s, long l4Off, int l4Length, int protocol, int csumOffset, int src,
                              int dst) {
        Bytes.putU16(s, l4Off + csumOffset, 0);
        long acc = (src & 0xFFFF_FFFFL) + (dst & 0xFFFF_FFFFL) + protocol + l4Length;
        // the two addresses are summed as 32-bit words, as sum() does: folding happens in finish()
        int c = finish(sum(s, l4Off, l4Length, acc));
        if (c == 0 && protocol == Ipv4Flyweight.PROTO_UDP) {
            c = 0xFFFF;
        }
        Bytes.putU16(s, l4Off + csumOffset, c);
    }

    /** Recomputes an ICMPv4 checksum in full (no pseudo-header). */
    public static void icmp(MemorySegment s, long icmpOff, int length) {
        Bytes.putU16(s, icmpOff + IcmpFlyweight.CHECKSUM_OFFSET, 0);
        Bytes.putU16(s, icmpOff + IcmpFlyweight.CHECKSUM_OFFSET, finish(sum(s, icmpOff, length, 0)));
    }
}
