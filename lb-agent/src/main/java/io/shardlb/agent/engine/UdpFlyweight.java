package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** UDP header (RFC 768). */
public final class UdpFlyweight {
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public UdpFlyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    public int srcPort() {
        return Bytes.u16(s, base + SRC_PORT_OFFSET);
    }

    public void srcPort(int v) {
        Bytes.putU16(s, base + SRC_PORT_OFFSET, v);
    }

    public int dstPort() {
        return Bytes.u16(s, base + DST_PORT_OFFSET);
    }

    public void dstPort(int v) {
        Bytes.putU16(s, base + DST_PORT_OFFSET, v);
    }

    public int length() {
        return Bytes.u16(s, base + LENGTH_OFFSET);
    }

    public void length(int v) {
        Bytes.putU16(s, base + LENGTH_OFFSET, v);
    }

    public int checksum() {
        return Bytes.u16(s, base + CHECKSUM_OFFSET);
    }

    public void checksum(int v) {
        Bytes.putU16(s, base + CHECKSUM_OFFSET, v);
    }
}
