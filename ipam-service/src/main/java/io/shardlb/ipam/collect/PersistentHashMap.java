package io.shardlb.ipam.collect;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map (a hash array mapped trie, 32-way) whose updates copy only the few nodes on the path to
 * the changed entry. For keys that need no order (Service names) it is several times shallower than a balanced
 * tree: about four levels for a million entries, so lookups touch few cache lines and updates allocate little.
 *
 * <p>Equality is by content, never by trie shape.
 *
 * @param <K> the key type (with a good {@code hashCode})
 * @param <V> the value type (never null)
 */
public final class PersistentHashMap<K, V> {
    @SuppressWarnings("rawtypes")
    private static final PersistentHashMap EMPTY = new PersistentHashMap<>(null, 0);
    private static final int BITS = 5;
    private static final int MAX_SHIFT = 30;

    private final Object root;
    private final int size;

    private PersistentHashMap(Object root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K, V> PersistentHashMap<K, V> empty() {
        return (PersistentHashMap<K, V>) EMPTY;
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        int h = spread(key.hashCode());
        Object n = root;
        int shift = 0;
        while (n != null) {
            if (n instanceof Leaf<?, ?> l) {
                return l.hash == h && l.key.equals(key) ? (V) l.value : null;
            }
            if (n instanceof Collision c) {
                return c.hash == h ? (V) c.get(key) : null;
            }
            Branch b = (Branch) n;
            int bit = 1 << ((h >>> shift) & 31);
            if ((b.bitmap & bit) == 0) {
                return null;
            }
            n = b.slots[Integer.bitCount(b.bitmap & (bit - 1))];
            shift += BITS;
        }
        return null;
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}. */
    public PersistentHashMap<K, V> put(K key, V value) {
        Objects.requireNonNull(value, "value");
        Leaf<K, V> leaf = new Leaf<>(spread(key.hashCode()), key, value);
        boolean[] added = new boolean[1];
        Object r = root == null ? leaf : put(root, leaf, 0, added);
        if (root == null) {
            added[0] = true;
        }
        return r == root ? this : new PersistentHashMap<>(r, size + (added[0] ? 1 : 0));
    }

    /** This map without {@code key}. */
    public PersistentHashMap<K, V> remove(K key) {
        if (root == null) {
            return this;
        }
        Object r = remove(root, key, spread(key.hashCode()), 0);
        return r == root ? this : new PersistentHashMap<>(r, size - 1);
    }

    /** Calls {@code action} for every entry (in no particular order). */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        walk(root, (k, v) -> action.accept((K) k, (V) v));
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    private static Object put(Object n, Leaf<?, ?> leaf, int shift, boolean[] added) {
        if (n instanceof Leaf<?, ?> l) {
            if (l.hash == leaf.hash && l.key.equals(leaf.key)) {
                return l.value == leaf.value ? l : leaf;
            }
            added[0] = true;
            return merge(l, leaf, shift);
        }
        if (n instanceof Collision c) {
            if (c.hash == leaf.hash) {
                return c.put(leaf, added);
            }
            added[0] = true;
            return merge(c, leaf, shift);
        }
        Branch b = (Branch) n;
        int bit = 1 << ((leaf.hash >>> shift) & 31);
        int idx = Integer.bitCount(b.bitmap & (bit - 1));
        if ((b.bitmap & bit) == 0) {
            added[0] = true;
            Object[] s = new Object[b.slots.length + 1];
            System.arraycopy(b.slots, 0, s, 0, idx);
            s[idx] = leaf;
            System.arraycopy(b.slots, idx, s, idx + 1, b.slots.length - idx);
            return new Branch(b.bitmap | bit, s);
        }
        Object child = b.slots[idx];
        Object updated = put(child, leaf, shift + BITS, added);
        if (updated == child) {
            return b;
        }
        Object[] s = b.slots.clone();
        s[idx] = updated;
        return new Branch(b.bitmap, s);
    }

    /** A node holding {@code existing} (a leaf or a collision) and {@code leaf}, which differ in hash or key. */
    private static Object merge(Object existing, Leaf<?, ?> leaf, int shift) {
        int eh = existing instanceof Leaf<?, ?> l ? l.hash : ((Collision) existing).hash;
        if (eh == leaf.hash) {
            return new Collision(eh, new Leaf<?, ?>[] {(Leaf<?, ?>) existing, leaf});
        }
        if (shift > MAX_SHIFT) {
            throw new IllegalStateException("distinct hashes agree on every bit");
        }
        int be = (eh >>> shift) & 31;
        int bl = (leaf.hash >>> shift) & 31;
        if (be == bl) {
            return new Branch(1 << be, new Object[] {merge(existing, leaf, shift + BITS)});
        }
        return new Branch((1 << be) | (1 << bl), be < bl ? new Object[] {existing, leaf}
                : new Object[] {leaf, existing});
    }

    /** Returns the node without {@code key}: {@code n} itself when absent, null when emptied. */
    private static Object remove(Object n, Object key, int h, int shift) {
        if (n instanceof Leaf<?, ?> l) {
            return l.hash == h && l.key.equals(key) ? null : l;
        }
        if (n instanceof Collision c) {
            return c.hash == h ? c.remove(key) : c;
        }
        Branch b = (Branch) n;
        int bit = 1 << ((h >>> shift) & 31);
        if ((b.bitmap & bit) == 0) {
            return b;
        }
        int idx = Integer.bitCount(b.bitmap & (bit - 1));
        Object child = b.slots[idx];
        Object updated = remove(child, key, h, shift + BITS);
        if (updated == child) {
            return b;
        }
        if (updated == null) {
            if (b.slots.length == 1) {
                return null;
            }
            Object[] s = new Object[b.slots.length - 1];
            System.arraycopy(b.slots, 0, s, 0, idx);
            System.arraycopy(b.slots, idx + 1, s, idx, s.length - idx);
            // a branch left with one leaf collapses into it, so the trie stays as shallow as its content
            return s.length == 1 && !(s[0] instanceof Branch) ? s[0] : new Branch(b.bitmap & ~bit, s);
        }
        if (b.slots.length == 1 && !(updated instanceof Branch)) {
            return updated;
        }
        Object[] s = b.slots.clone();
        s[idx] = updated;
        return new Branch(b.bitmap, s);
    }

    private static void walk(Object n, BiConsumer<Object, Object> action) {
        switch (n) {
            case null -> {
            }
            case Leaf<?, ?> l -> action.accept(l.key, l.value);
            case Collision c -> {
                for (Leaf<?, ?> l : c.leaves) {
                    action.accept(l.key, l.value);
                }
            }
            case Branch b -> {
                for (Object s : b.slots) {
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
        if (!(o instanceof PersistentHashMap<?, ?> other) || other.size != size) {
            return false;
        }
        boolean[] same = {true};
        walk(root, (k, v) -> {
            if (same[0] && !v.equals(((PersistentHashMap<Object, Object>) other).get(k))) {
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

    private record Branch(int bitmap, Object[] slots) {
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
                    s[i] = leaf;
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
