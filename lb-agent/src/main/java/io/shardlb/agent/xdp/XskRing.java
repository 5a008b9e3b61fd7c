package io.shardlb.agent.xdp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One AF_XDP ring (fill, completion, RX or TX) as a flyweight over the kernel's mmapped memory: the Java form of
 * libxdp's inline {@code xsk_ring_prod__*} / {@code xsk_ring_cons__*} helpers, with their memory ordering. The
 * peer's index is read with acquire (so the descriptors it published are visible), ours is published with
 * release (so the descriptors we wrote are visible before the index moves). Cached indices stay in Java fields.
 * Single-threaded: only the datapath loop touches a ring.
 */
final class XskRing {
    /** {@code struct xsk_ring_prod/cons} of libxdp 1.3 (xsk.h DEFINE_XSK_RING), filled in by libxdp. */
    static final StructLayout STRUCT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("cached_prod"),
            ValueLayout.JAVA_INT.withName("cached_cons"),
            ValueLayout.JAVA_INT.withName("mask"),
            ValueLayout.JAVA_INT.withName("size"),
            ValueLayout.ADDRESS.withName("producer"),
            ValueLayout.ADDRESS.withName("consumer"),
            ValueLayout.ADDRESS.withName("ring"),
            ValueLayout.ADDRESS.withName("flags"));
    /** XDP_RING_NEED_WAKEUP in the ring's flags word. */
    static final int NEED_WAKEUP = 1;

    private static final VarHandle INDEX = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment producer;
    private final MemorySegment consumer;
    private final MemorySegment flags;
    /** The descriptors: u64 addresses (fill, completion) or {@code struct xdp_desc} (RX, TX). */
    final MemorySegment ring;
    final int mask;
    final int size;
    private int cachedProd;
    private int cachedCons;

    /** Adopts the ring struct libxdp filled; {@code descSize} is 8 (addresses) or 16 (xdp_desc). */
    XskRing(MemorySegment struct, int descSize) {
        this.cachedProd = struct.get(ValueLayout.JAVA_INT, 0);
        this.cachedCons = struct.get(ValueLayout.JAVA_INT, 4);
        this.mask = struct.get(ValueLayout.JAVA_INT, 8);
        this.size = struct.get(ValueLayout.JAVA_INT, 12);
        this.producer = struct.get(ValueLayout.ADDRESS, 16).reinterpret(4);
        this.consumer = struct.get(ValueLayout.ADDRESS, 24).reinterpret(4);
        this.ring = struct.get(ValueLayout.ADDRESS, 32).reinterpret((long) size * descSize);
        this.flags = struct.get(ValueLayout.ADDRESS, 40).reinterpret(4);
    }

    // ---- producer side (fill, TX) ----

    /** Reserves exactly {@code n} slots; returns the first index, or -1 if fewer are free. */
    long reserve(int n) {
        int free = cachedCons - cachedProd;
        if (Integer.compareUnsigned(free, n) < 0) {
            cachedCons = (int) INDEX.getAcquire(consumer, 0L) + size;
            free = cachedCons - cachedProd;
            if (Integer.compareUnsigned(free, n) < 0) {
                return -1;
            }
        }
        int idx = cachedProd;
        cachedProd += n;
        return idx & 0xFFFF_FFFFL;
    }

    /** Slots a producer could reserve now (refreshing the consumer index). */
    int free() {
        cachedCons = (int) INDEX.getAcquire(consumer, 0L) + size;
        return cachedCons - cachedProd;
    }

    /** Publishes {@code n} reserved slots to the kernel. */
    void submit(int n) {
        int p = (int) INDEX.get(producer, 0L);
        INDEX.setRelease(producer, 0L, p + n);
    }

    // ---- consumer side (completion, RX) ----

    /** Up to {@code max} entries ready to read; their first index is {@link #peekIndex()}. */
    int peek(int max) {
        int entries = cachedProd - cachedCons;
        if (entries == 0) {
            cachedProd = (int) INDEX.getAcquire(producer, 0L);
            entries = cachedProd - cachedCons;
        }
        int n = Math.min(entries, max);
        peekIndex = cachedCons;
        cachedCons += n;
        return n;
    }

    private int peekIndex;

    /** First index of the last {@link #peek}. */
    int peekIndex() {
        return peekIndex;
    }

    /** Gives {@code n} consumed entries back to the kernel. */
    void release(int n) {
        int c = (int) INDEX.get(consumer, 0L);
        INDEX.setRelease(consumer, 0L, c + n);
    }

    // ---- descriptors ----

    /** True if the kernel asked for a syscall to make progress on this ring. */
    boolean needsWakeup() {
        return ((int) INDEX.getVolatile(flags, 0L) & NEED_WAKEUP) != 0;
    }

    long addr(long idx) {
        return ring.getAtIndex(ValueLayout.JAVA_LONG, idx & mask);
    }

    void setAddr(long idx, long addr) {
        ring.setAtIndex(ValueLayout.JAVA_LONG, idx & mask, addr);
    }

    long descAddr(long idx) {
        return ring.get(ValueLayout.JAVA_LONG, (idx & mask) * 16);
    }

    int descLen(long idx) {
        return ring.get(ValueLayout.JAVA_INT, (idx & mask) * 16 + 8);
    }

    void setDesc(long idx, long addr, int len) {
        long off = (idx & mask) * 16;
        ring.set(ValueLayout.JAVA_LONG, off, addr);
        ring.set(ValueLayout.JAVA_INT, off + 8, len);
        ring.set(ValueLayout.JAVA_INT, off + 12, 0);
    }
}
