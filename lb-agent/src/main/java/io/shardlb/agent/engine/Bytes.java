package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Network-byte-order (big-endian) unaligned accessors over a {@link MemorySegment}; the flyweights' base. */
public final class Bytes {
    /** Big-endian unaligned 16-bit. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian unaligned 32-bit. */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian unaligned 64-bit. */
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    /** Unsigned byte. */
    public static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Writes a byte. */
    public static void putU8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    /** Unsigned big-endian 16-bit. */
    public static int u16(MemorySegment s, long off) {
        return s.get(U16, off) & 0xFFFF;
    }

    /** Writes big-endian 16-bit. */
    public static void putU16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    /** Big-endian 32-bit. */
    public static int u32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    /** Writes big-endian 32-bit. */
    public static void putU32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    /**
     * Big-endian 64-bit: two or more adjacent fields in one access. Each segment access costs the JIT a deep
     * inline tree (bounds, liveness and alignment checks), so the per-packet path reads neighbours together to
     * stay within the compiler's inlining budget.
     */
    public static long u64(MemorySegment s, long off) {
        return s.get(U64, off);
    }

    /** Writes big-endian 64-bit. */
    public static void putU64(MemorySegment s, long off, long v) {
        s.set(U64, off, v);
    }

    /** A 48-bit MAC address, big-endian, in the low bits of a long. */
    public static long mac(MemorySegment s, long off) {
        return ((long) u16(s, off) << 32) | (u32(s, off + 2) & 0xFFFF_FFFFL);
    }

    /** Writes a 48-bit MAC address. */
    public static void putMac(MemorySegment s, long off, long mac) {
        putU16(s, off, (int) (mac >>> 32));
        putU32(s, off + 2, (int) mac);
    }
}
