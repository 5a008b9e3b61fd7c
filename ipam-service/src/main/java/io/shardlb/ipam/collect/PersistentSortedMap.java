package io.shardlb.ipam.collect;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable sorted map (an AVL tree with subtree sizes) whose updates copy only the path from the root to the
 * changed node, so every version shares all untouched nodes with the one it came from. This is what lets an
 * {@code IpamImage} be immutable while allocation and release stay O(log n) in the addresses in use.
 *
 * <p>Equality is by content (same keys in the same order mapping to equal values), never by tree shape.
 *
 * @param <K> the key type, ordered by its natural order
 * @param <V> the value type (never null)
 */
public final class PersistentSortedMap<K extends Comparable<? super K>, V> implements Iterable<Map.Entry<K, V>> {

    @SuppressWarnings("rawtypes")
    private static final PersistentSortedMap EMPTY = new PersistentSortedMap<>(null);

    private final Node<K, V> root;
    private int hash;

    private PersistentSortedMap(Node<K, V> root) {
        this.root = root;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> empty() {
        return (PersistentSortedMap<K, V>) EMPTY;
    }

    /** The number of entries. */
    public int size() {
        return Node.size(root);
    }

    /** Whether there are no entries. */
    public boolean isEmpty() {
        return root == null;
    }

    /** The value for {@code key}, or null. */
    public V get(K key) {
        Node<K, V> n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}; {@code this} when nothing changes. */
    public PersistentSortedMap<K, V> put(K key, V value) {
        Objects.requireNonNull(value, "value");
        Node<K, V> r = Node.put(root, key, value);
        return r == root ? this : new PersistentSortedMap<>(r);
    }

    /** This map without {@code key}; {@code this} when it was absent. */
    public PersistentSortedMap<K, V> remove(K key) {
        Node<K, V> r = Node.remove(root, key);
        return r == root ? this : new PersistentSortedMap<>(r);
    }

    /** The entry with the greatest key {@code <= key}, or null. */
    public Map.Entry<K, V> floorEntry(K key) {
        Node<K, V> n = root;
        Node<K, V> best = null;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n;
            }
            if (c < 0) {
                n = n.left;
            } else {
                best = n;
                n = n.right;
            }
        }
        return best;
    }

    /** The entry with the least key {@code >= key}, or null. */
    public Map.Entry<K, V> ceilingEntry(K key) {
        Node<K, V> n = root;
        Node<K, V> best = null;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n;
            }
            if (c > 0) {
                n = n.right;
            } else {
                best = n;
                n = n.left;
            }
        }
        return best;
    }

    /** The entry with the least key, or null. */
    public Map.Entry<K, V> firstEntry() {
        Node<K, V> n = root;
        if (n == null) {
            return null;
        }
        while (n.left != null) {
            n = n.left;
        }
        return n;
    }

    /** The number of keys strictly less than {@code key}. */
    public int rank(K key) {
        int r = 0;
        Node<K, V> n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c <= 0) {
                n = n.left;
            } else {
                r += Node.size(n.left) + 1;
                n = n.right;
            }
        }
        return r;
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
        ArrayDeque<Node<K, V>> stack = new ArrayDeque<>();
        Node<K, V> n = root;
        while (n != null) {
            if (from == null || from.compareTo(n.key) <= 0) {
                stack.push(n);
                n = n.left;
            } else {
                n = n.right;
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stack.isEmpty();
            }

            @Override
            public Map.Entry<K, V> next() {
                if (stack.isEmpty()) {
                    throw new NoSuchElementException();
                }
                Node<K, V> top = stack.pop();
                for (Node<K, V> m = top.right; m != null; m = m.left) {
                    stack.push(m);
                }
                return top;
            }
        };
    }

    /** Calls {@code action} for every entry in key order. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (Map.Entry<K, V> e : this) {
            action.accept(e.getKey(), e.getValue());
        }
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
        if (h == 0 && root != null) {
            for (Map.Entry<K, V> e : this) {
                h = 31 * h + (e.getKey().hashCode() ^ e.getValue().hashCode());
            }
            hash = h == 0 ? 1 : h;
            h = hash;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<K, V> e : this) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** An immutable AVL node; it is its own map entry. */
    private static final class Node<K extends Comparable<? super K>, V> implements Map.Entry<K, V> {
        final K key;
        final V value;
        final Node<K, V> left;
        final Node<K, V> right;
        final int height;
        final int size;

        Node(K key, V value, Node<K, V> left, Node<K, V> right) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = Math.max(height(left), height(right)) + 1;
            this.size = size(left) + size(right) + 1;
        }

        static int height(Node<?, ?> n) {
            return n == null ? 0 : n.height;
        }

        static int size(Node<?, ?> n) {
            return n == null ? 0 : n.size;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V v) {
            throw new UnsupportedOperationException("immutable");
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }

        static <K extends Comparable<? super K>, V> Node<K, V> put(Node<K, V> n, K key, V value) {
            if (n == null) {
                return new Node<>(key, value, null, null);
            }
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n.value == value ? n : new Node<>(n.key, value, n.left, n.right);
            }
            if (c < 0) {
                Node<K, V> l = put(n.left, key, value);
                return l == n.left ? n : balance(n.key, n.value, l, n.right);
            }
            Node<K, V> r = put(n.right, key, value);
            return r == n.right ? n : balance(n.key, n.value, n.left, r);
        }

        static <K extends Comparable<? super K>, V> Node<K, V> remove(Node<K, V> n, K key) {
            if (n == null) {
                return null;
            }
            int c = key.compareTo(n.key);
            if (c < 0) {
                Node<K, V> l = remove(n.left, key);
                return l == n.left ? n : balance(n.key, n.value, l, n.right);
            }
            if (c > 0) {
                Node<K, V> r = remove(n.right, key);
                return r == n.right ? n : balance(n.key, n.value, n.left, r);
            }
            if (n.left == null) {
                return n.right;
            }
            if (n.right == null) {
                return n.left;
            }
            Node<K, V> min = n.right;
            while (min.left != null) {
                min = min.left;
            }
            return balance(min.key, min.value, n.left, removeMin(n.right));
        }

        private static <K extends Comparable<? super K>, V> Node<K, V> removeMin(Node<K, V> n) {
            if (n.left == null) {
                return n.right;
            }
            return balance(n.key, n.value, removeMin(n.left), n.right);
        }

        private static <K extends Comparable<? super K>, V> Node<K, V> balance(K key, V value, Node<K, V> l,
                                                                              Node<K, V> r) {
            int hl = height(l);
            int hr = height(r);
            if (hl > hr + 1) {
                if (height(l.left) >= height(l.right)) {
                    return new Node<>(l.key, l.value, l.left, new Node<>(key, value, l.right, r));
                }
                Node<K, V> lr = l.right;
                return new Node<>(lr.key, lr.value, new Node<>(l.key, l.value, l.left, lr.left),
                        new Node<>(key, value, lr.right, r));
            }
            if (hr > hl + 1) {
                if (height(r.right) >= height(r.left)) {
                    return new Node<>(r.key, r.value, new Node<>(key, value, l, r.left), r.right);
                }
                Node<K, V> rl = r.left;
                return new Node<>(rl.key, rl.value, new Node<>(key, value, l, rl.left),
                        new Node<>(r.key, r.value, rl.right, r.right));
            }
            return new Node<>(key, value, l, r);
        }
    }
}
