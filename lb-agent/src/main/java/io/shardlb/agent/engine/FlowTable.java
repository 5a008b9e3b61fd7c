package io.shardlb.agent.engine;

import io.shardlb.agent.maglev.Hashing;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Off-heap connection-tracking table. The flow entries themselves ({@link #ENTRY_SIZE} bytes, one cache line,
 * offsets below) form an open-addressing hash table keyed by the client-side 5-tuple, so a forward packet
 * costs one cache miss; a second index of packed {@code (hash32 << 32) | (position + 1)} slots finds a flow by
 * its backend-side 5-tuple (replies). Both have twice as many slots as the table holds flows. Deletion shifts
 * entries back (no tombstones) and re-points the moved entries' reverse slots, so probes stay short however
 * many flows come and go. A flow id is its position: valid until the next removal.
 *
 * <p>Bounded: at most {@code capacity} flows; {@link #hasRoom()} says whether a new one fits, and the caller
 * reclaims expired flows (bounded scan) or drops the new flow (see {@link ConnTrack}). Single-threaded; no
 * allocation after construction.
 */
public final class FlowTable implements AutoCloseable {
    public static final int CLIENT_IP_OFFSET = 0;
    public static final int VIP_OFFSET = 4;
    public static final int CLIENT_PORT_OFFSET = 8;
    public static final int VIP_PORT_OFFSET = 10;
    /** The IP protocol; 0 marks a free position. */
    public static final int PROTOCOL_OFFSET = 12;
    public static final int TCP_STATE_OFFSET = 13;
    public static final int ENDPOINT_INDEX_OFFSET = 14;
    public static final int EP_IP_OFFSET = 16;
    public static final int EP_PORT_OFFSET = 20;
    public static final int NAT_PORT_OFFSET = 22;
    public static final int NAT_IP_OFFSET = 24;
    /** The forward hash, to find an entry's home position when shifting. */
    public static final int FORWARD_HASH_OFFSET = 28;
    public static final int EXPIRES_AT_OFFSET = 32;
    public static final int CLIENT_MAC_OFFSET = 40;
    public static final int EP_MAC_OFFSET = 48;
    public static final int RULE_ID_OFFSET = 56;
    public static final int RULE_VERSION_OFFSET = 60;
    public static final int ENTRY_SIZE = 64;

    /**
     * Entries are little-endian whatever the platform, so adjacent fields can be read as one wider word with a
     * defined layout (see {@link #endpointWord}); on x86 and ARM this is the native order, no byte swaps.
     */
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The 40 low bits of the word at {@link #CLIENT_PORT_OFFSET}: both ports and the protocol. */
    private static final long KEY_TAIL_MASK = 0xFF_FFFF_FFFFL;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment reverse;
    private final int capacity;
    private final int mask;
    private int size;
    private int clockHand;

    /** A table for {@code capacity} flows (a power of two) in twice as many positions. */
    public FlowTable(int capacity) {
        this.capacity = capacity;
        this.mask = capacity * 2 - 1;
        this.entries = allocate((long) capacity * 2 * ENTRY_SIZE);
        this.reverse = allocate((long) capacity * 2 * Long.BYTES);
    }

    private final java.util.List<MemorySegment> mapped = new java.util.ArrayList<>();

    /** Zeroed memory: huge-page backed where possible, else from the arena. */
    private MemorySegment allocate(long size) {
        var m = HugePages.map(size);
        if (m.isPresent()) {
            mapped.add(m.get());
            return m.get();
        }
        return unscoped(arena.allocate(size, 64));
    }

    /**
     * A view of {@code s} without its arena's liveness check on every access (the table is owned by one engine
     * and freed only by {@link #close()}, after which nothing may use it), leaving bounds checks in place.
     */
    private static MemorySegment unscoped(MemorySegment s) {
        return MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    }

    /** Hash of a forward key. */
    public static int forwardHash(int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        return Hashing.flowHash(clientIp, clientPort, vip, vipPort, protocol);
    }

    /** Hash of a reverse key. */
    public static int reverseHash(int protocol, int epIp, int epPort, int natIp, int natPort) {
        return Hashing.flowHash(epIp, epPort, natIp, natPort, protocol ^ 0x80);
    }

    /**
     * Reads the home line of a forward key's {@link #forwardHash} and returns a byte of it: called for a whole
     * batch before processing it, so the cache misses of independent frames overlap instead of being paid one
     * after another (Java has no prefetch instruction; an early plain load is the portable equivalent).
     */
    public int touchHome(int hash) {
        return entries.get(ValueLayout.JAVA_BYTE, (long) (hash & mask) * ENTRY_SIZE + PROTOCOL_OFFSET);
    }

    /** Flow id matching the forward key, or -1. */
    public int findForward(int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        return findForward(forwardHash(protocol, clientIp, clientPort, vip, vipPort), protocol, clientIp, clientPort,
                vip, vipPort);
    }

    /**
     * {@link #findForward(int, int, int, int, int)} with the key's {@link #forwardHash} already computed (the batch
     * path hashes each frame once, to load its line early). The key is compared as two words: addresses, then
     * ports and protocol; a zero protocol ends the probe (free position).
     */
    public int findForward(int hash, int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        long addresses = (clientIp & 0xFFFF_FFFFL) | ((long) vip << 32);
        long tail = (clientPort & 0xFFFF) | (long) (vipPort & 0xFFFF) << 16 | (long) (protocol & 0xFF) << 32;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long e = (long) i * ENTRY_SIZE;
            long t = entries.get(I64, e + CLIENT_PORT_OFFSET) & KEY_TAIL_MASK;
            if (t >>> 32 == 0) {
                return -1;
            }
            if (t == tail && entries.get(I64, e + CLIENT_IP_OFFSET) == addresses) {
                return i;
            }
        }
    }

    /** Flow id matching the reverse key, or -1. */
    public int findReverse(int protocol, int epIp, int epPort, int natIp, int natPort) {
        int h = reverseHash(protocol, epIp, epPort, natIp, natPort);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long slot = reverse.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == h) {
                int id = (int) slot - 1;
                long e = (long) id * ENTRY_SIZE;
                if (entries.get(I32, e + EP_IP_OFFSET) == epIp && entries.get(I32, e + NAT_IP_OFFSET) == natIp
                        && port(e + EP_PORT_OFFSET) == epPort && port(e + NAT_PORT_OFFSET) == natPort
                        && entries.get(ValueLayout.JAVA_BYTE, e + PROTOCOL_OFFSET) == (byte) protocol) {
                    return id;
                }
            }
        }
    }

    /** True if one more flow fits. */
    public boolean hasRoom() {
        return size < capacity;
    }

    /**
     * Claims the free position where a flow with this forward key goes (call {@link #hasRoom()} first, and
     * look it up first: keys are unique). The caller fills the entry, then calls {@link #indexReverse}.
     */
    public int insert(int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        int h = forwardHash(protocol, clientIp, clientPort, vip, vipPort);
        int i = h & mask;
        while (getByte(i, PROTOCOL_OFFSET) != 0) {
            i = (i + 1) & mask;
        }
        long e = (long) i * ENTRY_SIZE;
        entries.set(I32, e + FORWARD_HASH_OFFSET, h);
        entries.set(I32, e + CLIENT_IP_OFFSET, clientIp);
        entries.set(I32, e + VIP_OFFSET, vip);
        entries.set(I16, e + CLIENT_PORT_OFFSET, (short) clientPort);
        entries.set(I16, e + VIP_PORT_OFFSET, (short) vipPort);
        entries.set(ValueLayout.JAVA_BYTE, e + PROTOCOL_OFFSET, (byte) protocol);
        size++;
        return i;
    }

    /** Enters a filled entry (its backend-side fields set) in the reverse index. */
    public void indexReverse(int id) {
        int h = reverseHashOf(id);
        int i = h & mask;
        while (reverse.getAtIndex(ValueLayout.JAVA_LONG, i) != 0) {
            i = (i + 1) & mask;
        }
        reverse.setAtIndex(ValueLayout.JAVA_LONG, i, ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL));
    }

    private int reverseHashOf(int id) {
        return reverseHash(getByte(id, PROTOCOL_OFFSET), getInt(id, EP_IP_OFFSET), getPort(id, EP_PORT_OFFSET),
                getInt(id, NAT_IP_OFFSET), getPort(id, NAT_PORT_OFFSET));
    }

    /** Removes a flow; entries after it may move back (their ids change). */
    public void remove(int id) {
        deleteReverse(reverseHashOf(id), id);
        int hole = id;
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            if (getByte(j, PROTOCOL_OFFSET) == 0) {
                break;
            }
            int home = getInt(j, FORWARD_HASH_OFFSET) & mask;
            if (hole <= j ? (home <= hole || home > j) : (home <= hole && home > j)) {
                MemorySegment.copy(entries, (long) j * ENTRY_SIZE, entries, (long) hole * ENTRY_SIZE, ENTRY_SIZE);
                repointReverse(reverseHashOf(hole), j, hole);
                hole = j;
            }
        }
        entries.set(ValueLayout.JAVA_BYTE, (long) hole * ENTRY_SIZE + PROTOCOL_OFFSET, (byte) 0);
        size--;
    }

    private void repointReverse(int h, int from, int to) {
        long want = ((long) h << 32) | ((from + 1) & 0xFFFF_FFFFL);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long slot = reverse.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (slot == want) {
                reverse.setAtIndex(ValueLayout.JAVA_LONG, i, ((long) h << 32) | ((to + 1) & 0xFFFF_FFFFL));
                return;
            }
            if (slot == 0) {
                throw new IllegalStateException("flow table: reverse slot of a moved entry not found");
            }
        }
    }

    private void deleteReverse(int h, int id) {
        long want = ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL);
        int i = h & mask;
        while (reverse.getAtIndex(ValueLayout.JAVA_LONG, i) != want) {
            if (reverse.getAtIndex(ValueLayout.JAVA_LONG, i) == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion (Knuth 6.4 algorithm R): keep every later slot reachable from its home
        int hole = i;
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            long slot = reverse.getAtIndex(ValueLayout.JAVA_LONG, j);
            if (slot == 0) {
                break;
            }
            int home = (int) (slot >>> 32) & mask;
            if (hole <= j ? (home <= hole || home > j) : (home <= hole && home > j)) {
                reverse.setAtIndex(ValueLayout.JAVA_LONG, hole, slot);
                hole = j;
            }
        }
        reverse.setAtIndex(ValueLayout.JAVA_LONG, hole, 0L);
    }

    /** Returns the entry under the clock hand and advances it (for bounded expiry scans). */
    public int advanceHand() {
        int id = clockHand;
        clockHand = (clockHand + 1) & mask;
        return id;
    }

    /** True if the entry holds a flow. */
    public boolean inUse(int id) {
        return getByte(id, PROTOCOL_OFFSET) != 0;
    }

    /** Flows in use. */
    public int size() {
        return size;
    }

    /** Maximum flows. */
    public int capacity() {
        return capacity;
    }

    /**
     * The backend side of a flow in one read: {@link #EP_IP_OFFSET} in the low 32 bits, {@link #EP_PORT_OFFSET}
     * in bits 32–47 and {@link #NAT_PORT_OFFSET} in bits 48–63 (decode with the static helpers below).
     */
    public long endpointWord(int id) {
        return getLong(id, EP_IP_OFFSET);
    }

    /** The endpoint address in an {@link #endpointWord}. */
    public static int endpointIp(long endpointWord) {
        return (int) endpointWord;
    }

    /** The endpoint port in an {@link #endpointWord}. */
    public static int endpointPort(long endpointWord) {
        return (int) (endpointWord >>> 32) & 0xFFFF;
    }

    /** The NAT port in an {@link #endpointWord}. */
    public static int natPort(long endpointWord) {
        return (int) (endpointWord >>> 48);
    }

    /** {@link #RULE_ID_OFFSET} in the low and {@link #RULE_VERSION_OFFSET} in the high 32 bits, in one read. */
    public long bindingWord(int id) {
        return getLong(id, RULE_ID_OFFSET);
    }

    /**
     * {@link #bindingWord(int)} of a flow, or 0 (no rule's) for a negative id: lets the per-packet path read it
     * without a branch around the call, so the JIT inlines it whatever the profile of earlier traffic says.
     */
    public long bindingWordOrZero(int id) {
        return id < 0 ? 0L : getLong(id, RULE_ID_OFFSET);
    }

    /** The {@link #bindingWord} of a flow bound to this rule identity and version. */
    public static long bindingWord(int ruleIdentity, int ruleVersion) {
        return (ruleIdentity & 0xFFFF_FFFFL) | ((long) ruleVersion << 32);
    }

    private int port(long off) {
        return entries.get(I16, off) & 0xFFFF;
    }

    public int getInt(int id, int field) {
        return entries.get(I32, (long) id * ENTRY_SIZE + field);
    }

    public void putInt(int id, int field, int v) {
        entries.set(I32, (long) id * ENTRY_SIZE + field, v);
    }

    public int getPort(int id, int field) {
        return entries.get(I16, (long) id * ENTRY_SIZE + field) & 0xFFFF;
    }

    public void putPort(int id, int field, int v) {
        entries.set(I16, (long) id * ENTRY_SIZE + field, (short) v);
    }

    public int getByte(int id, int field) {
        return entries.get(ValueLayout.JAVA_BYTE, (long) id * ENTRY_SIZE + field) & 0xFF;
    }

    public void putByte(int id, int field, int v) {
        entries.set(ValueLayout.JAVA_BYTE, (long) id * ENTRY_SIZE + field, (byte) v);
    }

    public long getLong(int id, int field) {
        return entries.get(I64, (long) id * ENTRY_SIZE + field);
    }

    public void putLong(int id, int field, long v) {
        entries.set(I64, (long) id * ENTRY_SIZE + field, v);
    }

    @Override
    public void close() {
        mapped.forEach(HugePages::unmap);
        mapped.clear();
        arena.close();
    }
}
