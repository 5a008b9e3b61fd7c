package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** Ethernet II header (no VLAN tag: tagged frames are not ours and go to the kernel). */
public final class EthernetFlyweight {
    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public EthernetFlyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    public long dst() {
        return Bytes.mac(s, base + DST_OFFSET);
    }

    public void dst(long mac) {
        Bytes.putMac(s, base + DST_OFFSET, mac);
    }

    public long src() {
        return Bytes.mac(s, base + SRC_OFFSET);
    }

    public void src(long mac) {
        Bytes.putMac(s, base + SRC_OFFSET, mac);
    }

    /** Writes destination and source MAC (12 bytes) in two accesses. */
    public void addresses(long dstMac, long srcMac) {
        Bytes.putU64(s, base + DST_OFFSET, (dstMac << 16) | (srcMac >>> 32 & 0xFFFF));
        Bytes.putU32(s, base + SRC_OFFSET + 2, (int) srcMac);
    }

    public int etherType() {
        return Bytes.u16(s, base + ETHERTYPE_OFFSET);
    }

    public void etherType(int v) {
        Bytes.putU16(s, base + ETHERTYPE_OFFSET, v);
    }
}
