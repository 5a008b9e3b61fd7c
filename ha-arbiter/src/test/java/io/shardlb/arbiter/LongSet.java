package io.shardlb.arbiter;

/** An open-addressing set of 64-bit fingerprints (0 stands for empty, so 0 is stored as 1). */
final class LongSet {
    private long[] slots = new long[1 << 16];
    private int size;

    /** Adds {@code v}; whether it was absent. */
    boolean add(long v) {
        long key = v == 0 ? 1 : v;
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (slots[i] != 0) {
            if (slots[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = key;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long k : old) {
            if (k != 0) {
                add(k);
            }
        }
    }
}
