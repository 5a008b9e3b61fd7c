package io.shardlb.agent.engine;

import io.shardlb.agent.maglev.Hashing;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap connection-tracking table: fixed-size flow entries ({@link #ENTRY_SIZE} bytes, offsets below) and two
 * open-addressing indexes, one by the client-side 5-tuple (forward) and one by the backend-side 5-tuple
 * (reverse), each slot a packed {@code (hash32 << 32) | (flowId + 1)}. Deletion shifts entries back (no
 * tombstones), so lookups stay short however many flows come and go.
 *
 * <p>Bounded: at most {@code capacity} flows. When full, {@link #allocate} fails and the caller reclaims expired
 * flows (bounded scan) or drops the new flow (see {@link PacketEngine}). Single-threaded; no allocation after
 * construction.
 */
public final class FlowTable implements AutoCloseable {
    public static final int CLIENT_IP_OFFSET = 0;
    public static final int VIP_OFFSET = 4;
    public static final int CLIENT_PORT_OFFSET = 8;
    public static final int VIP_PORT_OFFSET = 10;
    public static final int PROTOCOL_OFFSET = 12;
    public static final int TCP_STATE_OFFSET = 13;
    public static final int ENDPOINT_INDEX_OFFSET = 14;
    public static final int EP_IP_OFFSET = 16;
    public static final int EP_PORT_OFFSET = 20;
    public static final int NAT_PORT_OFFSET = 22;
    public static final int NAT_IP_OFFSET = 24;
    public static final int RULE_SLOT_OFFSET = 28;
    public static final int EXPIRES_AT_OFFSET = 32;
    public static final int CLIENT_MAC_OFFSET = 40;
    public static final int EP_MAC_OFFSET = 48;
    public static final int RULE_ID_OFFSET = 56;
    public static final int RULE_VERSION_OFFSET = 60;
    public static final int ENTRY_SIZE = 64;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment forward;
    private final MemorySegment reverse;
    private final int capacity;
    private final int indexMask;
    private final int[] free;
    private int freeTop;
    private int clockHand;

    /** A table of {@code capacity} flows (a power of two); each index has twice as many slots. */
    public FlowTable(int capacity) {
        this.capacity = capacity;
        this.entries = arena.allocate((long) capacity * ENTRY_SIZE, 64);
        this.forward = arena.allocate((long) capacity * 2 * Long.BYTES, 64);
        this.reverse = arena.allocate((long) capacity * 2 * Long.BYTES, 64);
        this.indexMask = capacity * 2 - 1;
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
            entries.set(I32, (long) i * ENTRY_SIZE + RULE_SLOT_OFFSET, -1);
        }
        this.freeTop = capacity;
    }

    /** Hash of a forward key. */
    public static int forwardHash(int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        return Hashing.flowHash(clientIp, clientPort, vip, vipPort, protocol);
    }

    /** Hash of a reverse key. */
    public static int reverseHash(int protocol, int epIp, int epPort, int natIp, int natPort) {
        return Hashing.flowHash(epIp, epPort, natIp, natPort, protocol ^ 0x80);
    }

    /** Flow id matching the forward key, or -1. */
    public int findForward(int protocol, int clientIp, int clientPort, int vip, int vipPort) {
        int h = forwardHash(protocol, clientIp, clientPort, vip, vipPort);
        for (int i = h & indexMask; ; i = (i + 1) & indexMask) {
            long slot = forward.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == h) {
                int id = (int) slot - 1;
                long e = (long) id * ENTRY_SIZE;
                if (entries.get(I32, e + CLIENT_IP_OFFSET) == clientIp && entries.get(I32, e + VIP_OFFSET) == vip
                        && port(e + CLIENT_PORT_OFFSET) == clientPort && port(e + VIP_PORT_OFFSET) == vipPort
                        && entries.get(ValueLayout.JAVA_BYTE, e + PROTOCOL_OFFSET) == (byte) protocol) {
                    return id;
                }
            }
        }
    }

    /** Flow id matching the reverse key, or -1. */
    public int findReverse(int protocol, int epIp, int epPort, int natIp, int natPort) {
        int h = reverseHash(protocol, epIp, epPort, natIp, natPort);
        for (int i = h & indexMask; ; i = (i + 1) & indexMask) {
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

    /** Takes a free entry, or returns -1 when the table is full. The caller fills it, then {@link #index}es it. */
    public int allocate() {
        return freeTop == 0 ? -1 : free[--freeTop];
    }

    /** Returns an allocated but never indexed entry. */
    public void unallocate(int id) {
        entries.set(I32, (long) id * ENTRY_SIZE + RULE_SLOT_OFFSET, -1);
        free[freeTop++] = id;
    }

    /** Enters a filled entry in both indexes. */
    public void index(int id) {
        long e = (long) id * ENTRY_SIZE;
        int p = entries.get(ValueLayout.JAVA_BYTE, e + PROTOCOL_OFFSET) & 0xFF;
        insert(forward, forwardHash(p, getInt(id, CLIENT_IP_OFFSET), getPort(id, CLIENT_PORT_OFFSET),
                getInt(id, VIP_OFFSET), getPort(id, VIP_PORT_OFFSET)), id);
        insert(reverse, reverseHash(p, getInt(id, EP_IP_OFFSET), getPort(id, EP_PORT_OFFSET),
                getInt(id, NAT_IP_OFFSET), getPort(id, NAT_PORT_OFFSET)), id);
    }

    /** Removes an indexed flow from both indexes and frees its entry. */
    public void remove(int id) {
        long e = (long) id * ENTRY_SIZE;
        int p = entries.get(ValueLayout.JAVA_BYTE, e + PROTOCOL_OFFSET) & 0xFF;
        delete(forward, forwardHash(p, getInt(id, CLIENT_IP_OFFSET), getPort(id, CLIENT_PORT_OFFSET),
                getInt(id, VIP_OFFSET), getPort(id, VIP_PORT_OFFSET)), id);
        delete(reverse, reverseHash(p, getInt(id, EP_IP_OFFSET), getPort(id, EP_PORT_OFFSET),
                getInt(id, NAT_IP_OFFSET), getPort(id, NAT_PORT_OFFSET)), id);
        unallocate(id);
    }

    private void insert(MemorySegment index, int h, int id) {
        int i = h & indexMask;
        while (index.getAtIndex(ValueLayout.JAVA_LONG, i) != 0) {
            i = (i + 1) & indexMask;
        }
        index.setAtIndex(ValueLayout.JAVA_LONG, i, ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL));
    }

    private void delete(MemorySegment index, int h, int id) {
        long want = ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL);
        int i = h & indexMask;
        while (index.getAtIndex(ValueLayout.JAVA_LONG, i) != want) {
            if (index.getAtIndex(ValueLayout.JAVA_LONG, i) == 0) {
                return;
            }
            i = (i + 1) & indexMask;
        }
        // backward-shift deletion (Knuth 6.4 algorithm R): keep every later entry reachable from its home slot
        int hole = i;
        for (int j = (hole + 1) & indexMask; ; j = (j + 1) & indexMask) {
            long slot = index.getAtIndex(ValueLayout.JAVA_LONG, j);
            if (slot == 0) {
                break;
            }
            int home = (int) (slot >>> 32) & indexMask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                index.setAtIndex(ValueLayout.JAVA_LONG, hole, slot);
                hole = j;
            }
        }
        index.setAtIndex(ValueLayout.JAVA_LONG, hole, 0L);
    }

    /** Returns the entry under the clock hand and advances it (for bounded expiry scans). */
    public int advanceHand() {
        int id = clockHand;
        clockHand = (clockHand + 1) & (capacity - 1);
        return id;
    }

    /** True if the entry holds a flow. */
    public boolean inUse(int id) {
        return getInt(id, RULE_SLOT_OFFSET) >= 0;
    }

    /** Flows in use. */
    public int size() {
        return capacity - freeTop;
    }

    /** Maximum flows. */
    public int capacity() {
        return capacity;
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
        arena.close();
    }
}
