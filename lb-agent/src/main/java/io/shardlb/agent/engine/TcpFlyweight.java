package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** TCP header (RFC 9293). */
public final class TcpFlyweight {
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQ_OFFSET = 4;
    public static final int ACK_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_OFFSET = 18;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public TcpFlyweight wrap(MemorySegment segment, long offset) {
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

    public int seq() {
        return Bytes.u32(s, base + SEQ_OFFSET);
    }

    public void seq(int v) {
        Bytes.putU32(s, base + SEQ_OFFSET, v);
    }

    public int ack() {
        return Bytes.u32(s, base + ACK_OFFSET);
    }

    public void ack(int v) {
        Bytes.putU32(s, base + ACK_OFFSET, v);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLength() {
        return (Bytes.u8(s, base + DATA_OFFSET_OFFSET) >>> 4) * 4;
    }

    public void dataOffsetWords(int words) {
        Bytes.putU8(s, base + DATA_OFFSET_OFFSET, words << 4);
    }

    public int flags() {
        return Bytes.u8(s, base + FLAGS_OFFSET);
    }

    public void flags(int v) {
        Bytes.putU8(s, base + FLAGS_OFFSET, v);
    }

    public int window() {
        return Bytes.u16(s, base + WINDOW_OFFSET);
    }

    public void window(int v) {
        Bytes.putU16(s, base + WINDOW_OFFSET, v);
    }

    public int checksum() {
        return Bytes.u16(s, base + CHECKSUM_OFFSET);
    }

    public void checksum(int v) {
        Bytes.putU16(s, base + CHECKSUM_OFFSET, v);
    }
}
