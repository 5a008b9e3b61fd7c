package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** ARP for IPv4 over Ethernet (RFC 826), the 28 bytes after the Ethernet header. */
public final class ArpFlyweight {
    public static final int HTYPE_OFFSET = 0;
    public static final int PTYPE_OFFSET = 2;
    public static final int HLEN_OFFSET = 4;
    public static final int PLEN_OFFSET = 5;
    public static final int OPER_OFFSET = 6;
    public static final int SHA_OFFSET = 8;
    public static final int SPA_OFFSET = 14;
    public static final int THA_OFFSET = 18;
    public static final int TPA_OFFSET = 24;
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at an ARP packet; returns this. */
    public ArpFlyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    /** True for Ethernet/IPv4 ARP with 6-byte and 4-byte addresses. */
    public boolean isEthernetIpv4() {
        return Bytes.u16(s, base + HTYPE_OFFSET) == HTYPE_ETHERNET
                && Bytes.u16(s, base + PTYPE_OFFSET) == EthernetFlyweight.ETHERTYPE_IPV4
                && Bytes.u8(s, base + HLEN_OFFSET) == 6 && Bytes.u8(s, base + PLEN_OFFSET) == 4;
    }

    /** Writes the fixed Ethernet/IPv4 header fields. */
    public void ethernetIpv4() {
        Bytes.putU16(s, base + HTYPE_OFFSET, HTYPE_ETHERNET);
        Bytes.putU16(s, base + PTYPE_OFFSET, EthernetFlyweight.ETHERTYPE_IPV4);
        Bytes.putU8(s, base + HLEN_OFFSET, 6);
        Bytes.putU8(s, base + PLEN_OFFSET, 4);
    }

    public int operation() {
        return Bytes.u16(s, base + OPER_OFFSET);
    }

    public void operation(int v) {
        Bytes.putU16(s, base + OPER_OFFSET, v);
    }

    public long senderMac() {
        return Bytes.mac(s, base + SHA_OFFSET);
    }

    public void senderMac(long v) {
        Bytes.putMac(s, base + SHA_OFFSET, v);
    }

    public int senderIp() {
        return Bytes.u32(s, base + SPA_OFFSET);
    }

    public void senderIp(int v) {
        Bytes.putU32(s, base + SPA_OFFSET, v);
    }

    public long targetMac() {
        return Bytes.mac(s, base + THA_OFFSET);
    }

    public void targetMac(long v) {
        Bytes.putMac(s, base + THA_OFFSET, v);
    }

    public int targetIp() {
        return Bytes.u32(s, base + TPA_OFFSET);
    }

    public void targetIp(int v) {
        Bytes.putU32(s, base + TPA_OFFSET, v);
    }
}
