package io.shardlb.ipam.collect;

import io.shardlb.ipam.collect.BTree.Inner;
import io.shardlb.ipam.collect.BTree.Leaf;
import io.shardlb.ipam.collect.BTree.Node;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable sorted map (a B+tree with entry counts per subtree) whose updates copy only the path from the root
 * to the changed leaf, so every version shares all untouched nodes with the one it came from. This is what lets an
 * {@code IpamImage} be immutable while allocation and release stay O(log n) in the addresses in use.
 *
 * <p>Why a B+tree and not a binary tree: a binary tree spends one node object per entry and, on every update,
 * allocates some twenty nodes and reads each untouched sibling on the path (its height and size), a cache miss per
 * level on a large map. Here entries sit in flat arrays of up to {@value BTree#MAX}, an update copies about four small
 * arrays whose counts it already holds, and the garbage collector has a few times fewer objects to trace. A node
 * that an insertion at its end overflows keeps all its entries and starts a new node, so ascending insertions (the
 * lowest free address, again and again) leave full leaves behind, not half-empty ones.
 *
 * <p>Equality is by content (same keys in the same order mapping to equal values), never by tree shape.
 *
 * @param <K> the key type, ordered by its natural order
 * @param <V> the value type (never null)
 */
public final class PersistentSortedMap<K extends Comparable<? super K>, V> implements Iterable<Map.Entry<K, V>> {
    @SuppressWarnings("rawtypes")
    private static final PersistentSortedMap EMPTY = new PersistentSortedMap<>(null, null);

    /** The tree: every entry but those of {@link #tail}; null when empty. */
    private final Node root;
    /**
     * The last leaf, kept out of the tree: every key in it is greater than every key in {@link #root}; null when
     * empty. Ascending insertions (the lowest free address, again and again) land here and copy this one leaf
     * instead of a path from the root; a full tail joins the tree as its last leaf, one path copy per
     * {@value BTree#MAX} insertions.
     */
    private final Leaf tail;
    private int hash;

    private PersistentSortedMap(Node root, Leaf tail) {
        this.root = root;
        this.tail = tail;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> empty() {
        return (PersistentSortedMap<K, V>) EMPTY;
    }

    private static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> of(Node root, Leaf tail) {
        return root == null && tail == null ? empty() : new PersistentSortedMap<>(root, tail);
    }

    /** The number of entries. */
    public int size() {
        return (root == null ? 0 : root.size()) + (tail == null ? 0 : tail.count());
    }

    /** Whether there are no entries. */
    public boolean isEmpty() {
        return root == null && tail == null;
    }

    /** Whether {@code key} belongs in the tail: at or above its least key. */
    private boolean inTail(Object key) {
        return tail != null && BTree.compare(key, tail.minKey()) >= 0;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Leaf leaf = inTail(key) ? tail : leafFor(key);
        if (leaf == null) {
            return null;
        }
        int i = leaf.find(key);
        return i >= 0 ? (V) leaf.kv[2 * i + 1] : null;
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}; {@code this} when nothing changes. */
    public PersistentSortedMap<K, V> put(K key, V value) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(key, "key");
        if (inTail(key)) {
            return putInTail(key, value);
        }
        if (tail == null && (root == null || BTree.compare(key, lastKey(root)) > 0)) {
            // above everything: starts a tail
            return new PersistentSortedMap<>(root, new Leaf(new Object[] {key, value}));
        }
        if (root == null) {
            // below the tail, and nothing else
            return new PersistentSortedMap<>(new Leaf(new Object[] {key, value}), tail);
        }
        Object r = root.put(key, value);
        if (r == root) {
            return this;
        }
        return new PersistentSortedMap<>(r instanceof Node n ? n : Inner.of((Node[]) r), tail);
    }

    private PersistentSortedMap<K, V> putInTail(Object key, Object value) {
        Object r = tail.put(key, value);
        if (r == tail) {
            return this;
        }
        if (r instanceof Leaf one) {
            return new PersistentSortedMap<>(root, one);
        }
        Node[] two = (Node[]) r;
        if (two[0].count() < BTree.MIN) {
            // an insertion at the front split off a sliver: the tree gets a balanced leaf instead (the two hold
            // MAX + 1 entries, so they never fit in one)
            two = (Node[]) Node.merge(two[0], two[1]);
        }
        // the lower part joins the tree as its last leaf; the upper part stays the tail
        return new PersistentSortedMap<>(BTree.appendLeaf(root, (Leaf) two[0]), (Leaf) two[1]);
    }

    private static Object lastKey(Node n) {
        Node at = n;
        while (at instanceof Inner in) {
            at = in.kid(in.count() - 1);
        }
        Leaf leaf = (Leaf) at;
        return leaf.kv[leaf.kv.length - 2];
    }

    /** This map without {@code key}; {@code this} when it was absent. */
    public PersistentSortedMap<K, V> remove(K key) {
        if (inTail(key)) {
            Node t = tail.remove(key);
            if (t == tail) {
                return this;
            }
            return of(root, t.count() == 0 ? null : (Leaf) t);
        }
        if (root == null) {
            return this;
        }
        Node r = root.remove(key);
        if (r == root) {
            return this;
        }
        while (r instanceof Inner in && in.count() == 1) {
            r = in.kid(0);
        }
        return of(r.count() == 0 ? null : r, tail);
    }

    /** The entry with the greatest key {@code <= key}, or null. */
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> floorEntry(K key) {
        // each child's key is the least key below it, so the floor lies in the child chosen for the key; a key at
        // or above the tail's least has its floor in the tail
        Leaf leaf = inTail(key) ? tail : leafFor(key);
        if (leaf == null) {
            return null;
        }
        int i = leaf.find(key);
        int at = i >= 0 ? i : -i - 2;
        return at < 0 ? null : new AbstractMap.SimpleImmutableEntry<>((K) leaf.kv[2 * at], (V) leaf.kv[2 * at + 1]);
    }

    /** The entry with the least key {@code >= key}, or null. */
    public Map.Entry<K, V> ceilingEntry(K key) {
        Iterator<Map.Entry<K, V>> it = iteratorFrom(key);
        return it.hasNext() ? it.next() : null;
    }

    /** The entry with the least key, or null. */
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> firstEntry() {
        if (root == null) {
            return tail == null ? null : new AbstractMap.SimpleImmutableEntry<>((K) tail.kv[0], (V) tail.kv[1]);
        }
        return entryAt(0);
    }

    /** The entry at position {@code index} in key order ({@code 0 <= index < size()}). */
    @SuppressWarnings("unchecked")
    private Map.Entry<K, V> entryAt(int index) {
        Node n = root;
        int i = index;
        while (n instanceof Inner in) {
            int k = 0;
            while (i >= in.sizes[k]) {
                i -= in.sizes[k++];
            }
            n = in.kid(k);
        }
        Leaf leaf = (Leaf) n;
        return new AbstractMap.SimpleImmutableEntry<>((K) leaf.kv[2 * i], (V) leaf.kv[2 * i + 1]);
    }

    /** The number of keys strictly less than {@code key}. */
    public int rank(K key) {
        if (inTail(key)) {
            int i = tail.find(key);
            return (root == null ? 0 : root.size()) + (i >= 0 ? i : -i - 1);
        }
        int r = 0;
        Node n = root;
        if (n == null) {
            return 0;
        }
        while (n instanceof Inner in) {
            int k = in.childFor(key);
            for (int j = 0; j < k; j++) {
                r += in.sizes[j];
            }
            n = in.kid(k);
        }
        int i = ((Leaf) n).find(key);
        return r + (i >= 0 ? i : -i - 1);
    }

    /** The number of keys in {@code [from, to]} (both inclusive). */
    public int countInRange(K from, K to) {
        if (from.compareTo(to) > 0) {
            return 0;
        }
        int below = rank(from);
        int upTo = rank(to) + (containsKey(to) ? 1 : 0);
        return upTo - below;
    }

    /** Entries in key order. */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return iteratorFrom(null);
    }

    /** Entries with key {@code >= from} (all when {@code from} is null), in key order. */
    public Iterator<Map.Entry<K, V>> iteratorFrom(K from) {
        return new SortedCursor<>(root, tail, from);
    }

    /** Calls {@code action} for every entry in key order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (root != null) {
            root.forEach((BiConsumer<Object, Object>) action);
        }
        if (tail != null) {
            tail.forEach((BiConsumer<Object, Object>) action);
        }
    }

    private Leaf leafFor(Object key) {
        Node n = root;
        while (n instanceof Inner in) {
            n = in.kid(in.childFor(key));
        }
        return (Leaf) n;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PersistentSortedMap<?, ?> other) || other.size() != size()
                || other.hashCode() != hashCode()) {
            return false;
        }
        Iterator<Map.Entry<K, V>> a = iterator();
        Iterator<? extends Map.Entry<?, ?>> b = other.iterator();
        while (a.hasNext()) {
            Map.Entry<K, V> x = a.next();
            Map.Entry<?, ?> y = b.next();
            if (!x.getKey().equals(y.getKey()) || !x.getValue().equals(y.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0 && !isEmpty()) {
            int[] acc = {0};
            forEach((k, v) -> acc[0] = 31 * acc[0] + (k.hashCode() ^ v.hashCode()));
            hash = acc[0] == 0 ? 1 : acc[0];
            h = hash;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append('}').toString();
    }
}
