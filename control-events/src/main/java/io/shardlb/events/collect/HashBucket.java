package io.shardlb.events.collect;

import java.util.function.BiConsumer;

/**
 * Two to {@value #CAPACITY} entries of a {@link HashTrie} whose hashes differ but agree on every bit that
 * led to their slot, held inline in one object.
 *
 * <p>Why: near the bottom of a large trie most occupied slots hold one, two or three entries. A 32-slot branch for
 * them costs a 144-byte array plus a leaf object per entry, and a lookup misses the cache on both; an update copies
 * the array. A bucket is one 64-byte object: a lookup reads one object, an update copies 64 bytes, and at a million
 * Services it saves some 35 bytes per entry. A fifth entry, or a second key with an equal hash, turns the bucket
 * into a branch.
 */
final class HashBucket {
    /** The most entries a bucket holds. */
    static final int CAPACITY = 4;

    private final int n;
    private final int h0;
    private final int h1;
    private final int h2;
    private final int h3;
    private final Object k0;
    private final Object k1;
    private final Object k2;
    private final Object k3;
    private final Object v0;
    private final Object v1;
    private final Object v2;
    private final Object v3;

    @SuppressWarnings("checkstyle:ParameterNumber")
    private HashBucket(int n, int h0, Object k0, Object v0, int h1, Object k1, Object v1, int h2, Object k2,
                       Object v2, int h3, Object k3, Object v3) {
        this.n = n;
        this.h0 = h0;
        this.k0 = k0;
        this.v0 = v0;
        this.h1 = h1;
        this.k1 = k1;
        this.v1 = v1;
        this.h2 = h2;
        this.k2 = k2;
        this.v2 = v2;
        this.h3 = h3;
        this.k3 = k3;
        this.v3 = v3;
    }

    /** A bucket of two entries with different hashes. */
    static HashBucket of(int ha, Object ka, Object va, int hb, Object kb, Object vb) {
        return new HashBucket(2, ha, ka, va, hb, kb, vb, 0, null, null, 0, null, null);
    }

    /** The number of entries. */
    int size() {
        return n;
    }

    int hash(int i) {
        return switch (i) {
            case 0 -> h0;
            case 1 -> h1;
            case 2 -> h2;
            default -> h3;
        };
    }

    Object key(int i) {
        return switch (i) {
            case 0 -> k0;
            case 1 -> k1;
            case 2 -> k2;
            default -> k3;
        };
    }

    Object value(int i) {
        return switch (i) {
            case 0 -> v0;
            case 1 -> v1;
            case 2 -> v2;
            default -> v3;
        };
    }

    /** The entry whose hash is {@code h}, or -1 (hashes within a bucket are distinct). */
    int indexOf(int h) {
        if (h0 == h) {
            return 0;
        }
        if (h1 == h) {
            return 1;
        }
        if (n > 2 && h2 == h) {
            return 2;
        }
        return n > 3 && h3 == h ? 3 : -1;
    }

    /** The value for {@code key} (whose hash is {@code h}), or null. */
    Object get(int h, Object key) {
        int i = indexOf(h);
        if (i < 0) {
            return null;
        }
        Object k = key(i);
        return k == key || k.equals(key) ? value(i) : null;
    }

    /** This bucket with entry {@code i}'s value replaced, or with an entry added (when {@code i} is -1). */
    HashBucket with(int i, int h, Object key, Object value) {
        int[] hs = {h0, h1, h2, h3, 0};
        Object[] ks = {k0, k1, k2, k3, null};
        Object[] vs = {v0, v1, v2, v3, null};
        int at = i >= 0 ? i : n;
        hs[at] = h;
        ks[at] = key;
        vs[at] = value;
        int count = i >= 0 ? n : n + 1;
        return new HashBucket(count, hs[0], ks[0], vs[0], hs[1], ks[1], vs[1], hs[2], ks[2], vs[2], hs[3], ks[3],
                vs[3]);
    }

    /** This bucket without entry {@code i}: a smaller bucket, or the one entry left (as {@code leaf.apply}). */
    Object without(int i, LeafMaker leaf) {
        if (n == 2) {
            int other = 1 - i;
            return leaf.make(hash(other), key(other), value(other));
        }
        int[] hs = new int[CAPACITY];
        Object[] ks = new Object[CAPACITY];
        Object[] vs = new Object[CAPACITY];
        int c = 0;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                hs[c] = hash(j);
                ks[c] = key(j);
                vs[c++] = value(j);
            }
        }
        return new HashBucket(c, hs[0], ks[0], vs[0], hs[1], ks[1], vs[1], hs[2], ks[2], vs[2], hs[3], ks[3],
                vs[3]);
    }

    /** Calls {@code action} for every entry. */
    void forEach(BiConsumer<Object, Object> action) {
        for (int i = 0; i < n; i++) {
            action.accept(key(i), value(i));
        }
    }

    /** Makes the map's leaf for one entry. */
    @FunctionalInterface
    interface LeafMaker {
        Object make(int hash, Object key, Object value);
    }
}
