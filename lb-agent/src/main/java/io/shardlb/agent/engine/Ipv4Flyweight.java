package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/** IPv4 header (RFC 791). */
public final class Ipv4Flyweight {
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    /** More-fragments flag in the flags/fragment-offset word. */
    public static final int FLAG_MF = 0x2000;
    /** Don't-fragment flag. */
    public static final int FLAG_DF = 0x4000;
    /** Fragment offset bits. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private MemorySegment s;
    private long base;

    /** Points this flyweight at a header; returns this. */
    public Ipv4Flyweight wrap(MemorySegment segment, long offset) {
        this.s = segment;
        this.base = offset;
        return this;
    }

    /**
     * The first 8 bytes in one read (version/IHL, TOS, total length, id, flags/fragment offset), decoded by the
     * static {@code *Of(long)} helpers: the per-packet path checks them all from one access.
     */
    public long headWord() {
        return Bytes.u64(s, base + VERSION_IHL_OFFSET);
    }

    /** Version in a {@link #headWord()}. */
    public static int versionOf(long headWord) {
        return (int) (headWord >>> 60);
    }

    /** Header length in bytes in a {@link #headWord()}. */
    public static int headerLengthOf(long headWord) {
        return (int) (headWord >>> 56 & 0x0F) * 4;
    }

    /** Total length in a {@link #headWord()}. */
    public static int totalLengthOf(long headWord) {
        return (int) (headWord >>> 32 & 0xFFFF);
    }

    /** True if a {@link #headWord()} is a fragment's (MF set or non-zero offset). */
    public static boolean isFragmentOf(long headWord) {
        return (headWord & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** Source (high 32 bits) and destination (low 32 bits) in one read. */
    public long addresses() {
        return Bytes.u64(s, base + SRC_OFFSET);
    }

    /** Writes source and destination in one access. */
    public void addresses(int src, int dst) {
        Bytes.putU64(s, base + SRC_OFFSET, ((long) src << 32) | (dst & 0xFFFF_FFFFL));
    }

    public int version() {
        return Bytes.u8(s, base + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (Bytes.u8(s, base + VERSION_IHL_OFFSET) & 0x0F) * 4;
    }

    public void versionIhl(int version, int ihlWords) {
        Bytes.putU8(s, base + VERSION_IHL_OFFSET, (version << 4) | ihlWords);
    }

    public int totalLength() {
        return Bytes.u16(s, base + TOTAL_LENGTH_OFFSET);
    }

    public void totalLength(int v) {
        Bytes.putU16(s, base + TOTAL_LENGTH_OFFSET, v);
    }

    public int flagsFragment() {
        return Bytes.u16(s, base + FLAGS_FRAGMENT_OFFSET);
    }

    public void flagsFragment(int v) {
        Bytes.putU16(s, base + FLAGS_FRAGMENT_OFFSET, v);
    }

    /** True if this is a fragment (MF set or non-zero offset). */
    public boolean isFragment() {
        return (flagsFragment() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return Bytes.u8(s, base + TTL_OFFSET);
    }

    public void ttl(int v) {
        Bytes.putU8(s, base + TTL_OFFSET, v);
    }

    public int protocol() {
        return Bytes.u8(s, base + PROTOCOL_OFFSET);
    }

    public void protocol(int v) {
        Bytes.putU8(s, base + PROTOCOL_OFFSET, v);
    }

    public int checksum() {
        return Bytes.u16(s, base + CHECKSUM_OFFSET);
    }

    public void checksum(int v) {
        Bytes.putU16(s, base + CHECKSUM_OFFSET, v);
    }

    public int src() {
        return Bytes.u32(s, base + SRC_OFFSET);
    }

    public void src(int v) {
        Bytes.putU32(s, base + SRC_OFFSET, v);
    }

    public int dst() {
        return Bytes.u32(s, base + DST_OFFSET);
    }

    public void dst(int v) {
        Bytes.putU32(s, base + DST_OFFSET, v);
    }
}
