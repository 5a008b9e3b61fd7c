package io.shardlb.events.collect;

import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable hash map (a hash array mapped trie, 32-way) whose updates copy only the few nodes on the path to
 * the changed entry. For keys that need no order (Service names) it is several times shallower than a balanced
 * tree: about four levels for a million entries, so lookups touch few cache lines and updates allocate little.
 *
 * <p>A branch is a plain 32-slot array indexed by five bits of the hash, empty slots null: one object, so a lookup
 * misses the cache once per level. (A bitmap-compressed branch needs an object for the bitmap and another for its
 * array: two misses per level, and the cold lookup of a Service's addresses was the largest cost of an
 * allocation.) Near the bottom, where a slot holds only a few entries, they sit inline in one {@link HashBucket}
 * instead of a sparse branch and a leaf each.
 *
 * <p>Equality is by content, never by trie shape. Iteration ({@link #forEach}) follows the hashes, which is
 * deterministic but meaningless: whatever feeds a decision or a snapshot iterates {@link #sorted} instead.
 * <p>The one hash map of every image: observed state, placement, the planner's service book and IPAM's Service
 * index.
 *
 * @param <K> the key type (with a good {@code hashCode})
 * @param <V> the value type (never null)
 */
public final class HashTrie<K, V> {
    @SuppressWarnings("rawtypes")
    private static final HashTrie EMPTY = new HashTrie<>(null, 0);
    private static final int BITS = 5;
    private static final int MAX_SHIFT = 30;

    private final Object root;
    private final int size;

    private HashTrie(Object root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K, V> HashTrie<K, V> empty() {
        return (HashTrie<K, V>) EMPTY;
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        int h = spread(key.hashCode());
        Object n = bottom(h);
        if (n instanceof Leaf<?, ?> l) {
            return l.hash == h && l.key.equals(key) ? (V) l.value : null;
        }
        if (n instanceof HashBucket b) {
            return (V) b.get(h, key);
        }
        return n instanceof Collision c && c.hash == h ? (V) c.get(key) : null;
    }

    /**
     * The key instance held for {@code key} (the one first put; replacing the value keeps it), or null. A caller
     * that looks up with it afterwards compares keys by identity rather than by content.
     */
    @SuppressWarnings("unchecked")
    public K storedKey(K key) {
        int h = spread(key.hashCode());
        Object n = bottom(h);
        if (n instanceof Leaf<?, ?> l) {
            return l.hash == h && l.key.equals(key) ? (K) l.key : null;
        }
        if (n instanceof HashBucket b) {
            int i = b.indexOf(h);
            return i >= 0 && b.key(i).equals(key) ? (K) b.key(i) : null;
        }
        if (n instanceof Collision c && c.hash == h) {
            for (Leaf<?, ?> l : c.leaves) {
                if (l.key.equals(key)) {
                    return (K) l.key;
                }
            }
        }
        return null;
    }

    /** The node below the branches on the path of hash {@code h}: null, a leaf, a bucket or a collision. */
    private Object bottom(int h) {
        Object n = root;
        for (int shift = 0; n instanceof Object[] slots; shift += BITS) {
            n = slots[(h >>> shift) & 31];
        }
        return n;
    }

    /** Whether there is no entry. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}. */
    public HashTrie<K, V> put(K key, V value) {
        Objects.requireNonNull(value, "value");
        Leaf<K, V> leaf = new Leaf<>(spread(key.hashCode()), key, value);
        boolean[] added = new boolean[1];
        Object r = root == null ? leaf : put(root, leaf, 0, added);
        if (root == null) {
            added[0] = true;
        }
        return r == root ? this : new HashTrie<>(r, size + (added[0] ? 1 : 0));
    }

    /** This map without {@code key}. */
    public HashTrie<K, V> remove(K key) {
        if (root == null) {
            return this;
        }
        Object r = remove(root, key, spread(key.hashCode()), 0);
        return r == root ? this : new HashTrie<>(r, size - 1);
    }

    /** Calls {@code action} for every entry (in no particular order). */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        walk(root, (k, v) -> action.accept((K) k, (V) v));
    }

    /** The entries as a persistent map sorted by {@code order} (a copy: O(n log n), for rare ordered walks). */
    public PSortedMap<K, V> sorted(Comparator<? super K> order) {
        TreeMap<K, V> entries = new TreeMap<>(order);
        forEach(entries::put);
        return TreePMap.fromSortedMap(entries);
    }

    /** The keys sorted by {@code order} (a copy: O(n log n), for rare ordered walks). */
    public List<K> sortedKeys(Comparator<? super K> order) {
        List<K> keys = new ArrayList<>(size);
        forEach((k, v) -> keys.add(k));
        keys.sort(order);
        return keys;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    private static Object put(Object n, Leaf<?, ?> leaf, int shift, boolean[] added) {
        if (n instanceof Leaf<?, ?> l) {
            if (l.hash == leaf.hash && l.key.equals(leaf.key)) {
                // the key held stays: callers that look up with it (see storedKey) keep comparing by identity
                return l.value == leaf.value ? l : new Leaf<>(l.hash, l.key, leaf.value);
            }
            added[0] = true;
            return merge(l, leaf, shift);
        }
        if (n instanceof HashBucket b) {
            int i = b.indexOf(leaf.hash);
            if (i >= 0 && b.key(i).equals(leaf.key)) {
                // the key held stays, as for a leaf
                return b.value(i) == leaf.value ? b : b.with(i, leaf.hash, b.key(i), leaf.value);
            }
            added[0] = true;
            if (i < 0 && b.size() < HashBucket.CAPACITY) {
                return b.with(-1, leaf.hash, leaf.key, leaf.value);
            }
            // full, or a second key with an equal hash: a branch at this level sorts them out
            return put(explode(b, shift), leaf, shift, new boolean[1]);
        }
        if (n instanceof Collision c) {
            if (c.hash == leaf.hash) {
                return c.put(leaf, added);
            }
            added[0] = true;
            return merge(c, leaf, shift);
        }
        Object[] slots = (Object[]) n;
        int idx = (leaf.hash >>> shift) & 31;
        Object child = slots[idx];
        Object updated;
        if (child == null) {
            added[0] = true;
            updated = leaf;
        } else {
            updated = put(child, leaf, shift + BITS, added);
            if (updated == child) {
                return slots;
            }
        }
        Object[] s = slots.clone();
        s[idx] = updated;
        return s;
    }

    /** A node holding {@code existing} (a leaf or a collision) and {@code leaf}, which differ in hash or key. */
    private static Object merge(Object existing, Leaf<?, ?> leaf, int shift) {
        int eh = existing instanceof Leaf<?, ?> l ? l.hash : ((Collision) existing).hash;
        if (eh == leaf.hash) {
            return new Collision(eh, new Leaf<?, ?>[] {(Leaf<?, ?>) existing, leaf});
        }
        if (existing instanceof Leaf<?, ?> l) {
            return HashBucket.of(l.hash, l.key, l.value, leaf.hash, leaf.key, leaf.value);
        }
        if (shift > MAX_SHIFT) {
            throw new IllegalStateException("distinct hashes agree on every bit");
        }
        Object[] s = new Object[32];
        int be = (eh >>> shift) & 31;
        int bl = (leaf.hash >>> shift) & 31;
        if (be == bl) {
            s[be] = merge(existing, leaf, shift + BITS);
        } else {
            s[be] = existing;
            s[bl] = leaf;
        }
        return s;
    }

    /** A branch indexed at {@code shift} holding the bucket's entries. */
    private static Object[] explode(HashBucket b, int shift) {
        Object[] s = new Object[32];
        boolean[] ignored = new boolean[1];
        for (int i = 0; i < b.size(); i++) {
            Leaf<?, ?> l = new Leaf<>(b.hash(i), b.key(i), b.value(i));
            int idx = (l.hash >>> shift) & 31;
            s[idx] = s[idx] == null ? l : put(s[idx], l, shift + BITS, ignored);
        }
        return s;
    }

    /** Returns the node without {@code key}: {@code n} itself when absent, null when emptied. */
    private static Object remove(Object n, Object key, int h, int shift) {
        if (n instanceof Leaf<?, ?> l) {
            return l.hash == h && l.key.equals(key) ? null : l;
        }
        if (n instanceof HashBucket b) {
            int i = b.indexOf(h);
            return i >= 0 && b.key(i).equals(key) ? b.without(i, Leaf::new) : b;
        }
        if (n instanceof Collision c) {
            return c.hash == h ? c.remove(key) : c;
        }
        Object[] slots = (Object[]) n;
        int idx = (h >>> shift) & 31;
        Object child = slots[idx];
        if (child == null) {
            return slots;
        }
        Object updated = remove(child, key, h, shift + BITS);
        if (updated == child) {
            return slots;
        }
        Object[] s = slots.clone();
        s[idx] = updated;
        // a branch that still has a branch below cannot collapse: only a slot emptied or left a leaf can
        return updated instanceof Object[] ? s : collapse(s);
    }

    /**
     * A branch left empty is null, one left with a single leaf (or collision) is that leaf: the trie stays as
     * shallow as its content, and memory proportional to the entries.
     */
    private static Object collapse(Object[] s) {
        Object only = null;
        for (Object o : s) {
            if (o != null) {
                if (only != null || o instanceof Object[]) {
                    return s;
                }
                only = o;
            }
        }
        return only;
    }

    private static void walk(Object n, BiConsumer<Object, Object> action) {
        switch (n) {
            case null -> {
            }
            case Leaf<?, ?> l -> action.accept(l.key, l.value);
            case HashBucket b -> b.forEach(action);
            case Collision c -> {
                for (Leaf<?, ?> l : c.leaves) {
                    action.accept(l.key, l.value);
                }
            }
            case Object[] slots -> {
                for (Object s : slots) {
                    walk(s, action);
                }
            }
            default -> throw new IllegalStateException("unknown node " + n);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HashTrie<?, ?> other) || other.size != size) {
            return false;
        }
        boolean[] same = {true};
        walk(root, (k, v) -> {
            if (same[0] && !v.equals(((HashTrie<Object, Object>) other).get(k))) {
                same[0] = false;
            }
        });
        return same[0];
    }

    @Override
    public int hashCode() {
        int[] h = {0};
        walk(root, (k, v) -> h[0] += k.hashCode() ^ v.hashCode());
        return h[0];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        walk(root, (k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append('}').toString();
    }

    private record Leaf<K, V>(int hash, K key, V value) {
    }

    /** Leaves whose keys differ but whose (spread) hashes are equal. */
    private record Collision(int hash, Leaf<?, ?>[] leaves) {
        Object get(Object key) {
            for (Leaf<?, ?> l : leaves) {
                if (l.key.equals(key)) {
                    return l.value;
                }
            }
            return null;
        }

        Object put(Leaf<?, ?> leaf, boolean[] added) {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(leaf.key)) {
                    Leaf<?, ?>[] s = leaves.clone();
                    s[i] = new Leaf<>(leaf.hash, leaves[i].key, leaf.value);
                    return new Collision(hash, s);
                }
            }
            added[0] = true;
            Leaf<?, ?>[] s = Arrays.copyOf(leaves, leaves.length + 1);
            s[leaves.length] = leaf;
            return new Collision(hash, s);
        }

        Object remove(Object key) {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(key)) {
                    if (leaves.length == 2) {
                        return leaves[1 - i];
                    }
                    Leaf<?, ?>[] s = new Leaf<?, ?>[leaves.length - 1];
                    System.arraycopy(leaves, 0, s, 0, i);
                    System.arraycopy(leaves, i + 1, s, i, s.length - i);
                    return new Collision(hash, s);
                }
            }
            return this;
        }
    }
}
