package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 fixed header (RFC 8200). The engine does not rewrite IPv6 yet (frames pass to the kernel); the flyweight
 * exists so the XDP side and tests read IPv6 the same way.
 */
public final class Ipv6Flyweight {
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;
    public static final int ADDRESS_LENGTH = 16;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public Ipv6Flyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    public int version() {
        return Bytes.u8(s, base + VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    public int payloadLength() {
        return Bytes.u16(s, base + PAYLOAD_LENGTH_OFFSET);
    }

    public void payloadLength(int v) {
        Bytes.putU16(s, base + PAYLOAD_LENGTH_OFFSET, v);
    }

    public int nextHeader() {
        return Bytes.u8(s, base + NEXT_HEADER_OFFSET);
    }

    public int hopLimit() {
        return Bytes.u8(s, base + HOP_LIMIT_OFFSET);
    }

    /** The 32-bit word {@code word} (0..3) of the source address. */
    public int srcWord(int word) {
        return Bytes.u32(s, base + SRC_OFFSET + 4L * word);
    }

    /** The 32-bit word {@code word} (0..3) of the destination address. */
    public int dstWord(int word) {
        return Bytes.u32(s, base + DST_OFFSET + 4L * word);
    }
}
