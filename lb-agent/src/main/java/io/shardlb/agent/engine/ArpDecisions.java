package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/**
 * ARP decisions as pure functions, the one definition shared by the Java engine and mirrored by the XDP
 * program: answer a request only for a claimed VIP and only strictly before its deadline (CLOCK_MONOTONIC
 * nanoseconds, {@code bpf_ktime_get_ns()} on the kernel side); announce a claim with a gratuitous ARP.
 */
public final class ArpDecisions {
    /** Size of an ARP frame padded to the Ethernet minimum (without FCS). */
    public static final int FRAME_LENGTH = 60;

    private ArpDecisions() {
    }

    /** True if a VIP with this deadline is answered at {@code nowNanos}; {@code Long.MIN_VALUE} means unclaimed. */
    public static boolean answers(long deadlineNanos, long nowNanos) {
        return deadlineNanos != Long.MIN_VALUE && nowNanos - deadlineNanos < 0;
    }

    /**
     * Turns the ARP request at {@code frameOffset} (Ethernet + ARP, already checked to be an Ethernet/IPv4
     * request) into the reply "target IP is at {@code ourMac}", in place; the frame length is unchanged.
     */
    public static void rewriteAsReply(MemorySegment f, long frameOffset, long ourMac) {
        long arp = frameOffset + EthernetFlyweight.HEADER_LENGTH;
        long requesterMac = Bytes.mac(f, arp + ArpFlyweight.SHA_OFFSET);
        int requesterIp = Bytes.u32(f, arp + ArpFlyweight.SPA_OFFSET);
        int vip = Bytes.u32(f, arp + ArpFlyweight.TPA_OFFSET);
        Bytes.putMac(f, frameOffset + EthernetFlyweight.DST_OFFSET, requesterMac);
        Bytes.putMac(f, frameOffset + EthernetFlyweight.SRC_OFFSET, ourMac);
        Bytes.putU16(f, arp + ArpFlyweight.OPER_OFFSET, ArpFlyweight.OP_REPLY);
        Bytes.putMac(f, arp + ArpFlyweight.SHA_OFFSET, ourMac);
        Bytes.putU32(f, arp + ArpFlyweight.SPA_OFFSET, vip);
        Bytes.putMac(f, arp + ArpFlyweight.THA_OFFSET, requesterMac);
        Bytes.putU32(f, arp + ArpFlyweight.TPA_OFFSET, requesterIp);
    }

    /**
     * Writes a gratuitous ARP (RFC 5227 announcement: a broadcast request with sender and target IP both the
     * VIP, target MAC zero) at {@code offset}; returns its length, {@link #FRAME_LENGTH}.
     */
    public static int writeGratuitous(MemorySegment f, long offset, long ourMac, int vip) {
        f.asSlice(offset, FRAME_LENGTH).fill((byte) 0);
        Bytes.putMac(f, offset + EthernetFlyweight.DST_OFFSET, EthernetFlyweight.BROADCAST);
        Bytes.putMac(f, offset + EthernetFlyweight.SRC_OFFSET, ourMac);
        Bytes.putU16(f, offset + EthernetFlyweight.ETHERTYPE_OFFSET, EthernetFlyweight.ETHERTYPE_ARP);
        long arp = offset + EthernetFlyweight.HEADER_LENGTH;
        Bytes.putU16(f, arp + ArpFlyweight.HTYPE_OFFSET, ArpFlyweight.HTYPE_ETHERNET);
        Bytes.putU16(f, arp + ArpFlyweight.PTYPE_OFFSET, EthernetFlyweight.ETHERTYPE_IPV4);
        Bytes.putU8(f, arp + ArpFlyweight.HLEN_OFFSET, 6);
        Bytes.putU8(f, arp + ArpFlyweight.PLEN_OFFSET, 4);
        Bytes.putU16(f, arp + ArpFlyweight.OPER_OFFSET, ArpFlyweight.OP_REQUEST);
        Bytes.putMac(f, arp + ArpFlyweight.SHA_OFFSET, ourMac);
        Bytes.putU32(f, arp + ArpFlyweight.SPA_OFFSET, vip);
        Bytes.putU32(f, arp + ArpFlyweight.TPA_OFFSET, vip);
        return FRAME_LENGTH;
    }
}
