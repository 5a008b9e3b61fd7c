package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** ICMPv4 header (RFC 792), echo fields included. */
public final class IcmpFlyweight {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_ECHO_REQUEST = 8;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public IcmpFlyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    public int type() {
        return Bytes.u8(s, base + TYPE_OFFSET);
    }

    public void type(int v) {
        Bytes.putU8(s, base + TYPE_OFFSET, v);
    }

    public int code() {
        return Bytes.u8(s, base + CODE_OFFSET);
    }

    public void code(int v) {
        Bytes.putU8(s, base + CODE_OFFSET, v);
    }

    public int checksum() {
        return Bytes.u16(s, base + CHECKSUM_OFFSET);
    }

    public void checksum(int v) {
        Bytes.putU16(s, base + CHECKSUM_OFFSET, v);
    }

    public int id() {
        return Bytes.u16(s, base + ID_OFFSET);
    }

    public int sequence() {
        return Bytes.u16(s, base + SEQUENCE_OFFSET);
    }
}
