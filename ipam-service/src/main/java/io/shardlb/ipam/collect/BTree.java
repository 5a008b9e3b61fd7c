package io.shardlb.ipam.collect;

import io.shardlb.ipam.IpAddress;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The immutable nodes of {@link PersistentSortedMap}: leaves hold entries, inner nodes hold children with the least
 * key and the entry count of each, so a lookup, a rank and an update never read a node off their path. An update
 * returns a new node, or two when the node overflowed; a removal merges a node that fell below {@link #MIN} with a
 * neighbour. Every leaf is at the same depth.
 */
final class BTree {
    /** Most entries of a leaf and children of an inner node. */
    static final int MAX = 16;
    /** Below this many a node merges with a neighbour, so memory stays proportional to the entries. */
    static final int MIN = MAX / 4;

    private BTree() {
    }

    /**
     * The keys' natural order. The maps here are keyed by addresses, log times and names: comparing those through
     * their exact (final) classes spares every comparison an interface call that has seen three receiver types.
     */
    @SuppressWarnings("unchecked")
    static int compare(Object a, Object b) {
        if (a instanceof IpAddress x) {
            return x.compareTo((IpAddress) b);
        }
        if (a instanceof Long x) {
            return x.compareTo((Long) b);
        }
        if (a instanceof String x) {
            return x.compareTo((String) b);
        }
        return ((Comparable<Object>) a).compareTo(b);
    }

    /**
     * Where a node of {@code n} elements that overflowed by an insertion at {@code at} splits: an insertion at the
     * end starts a new node and leaves the old one full (ascending keys fill leaves), one at the front likewise,
     * anything else halves.
     */
    static int splitPoint(int at, int n) {
        if (at == n - 1) {
            return n - 1;
        }
        return at == 0 ? 1 : n / 2;
    }

    /**
     * {@code root} (null for none) with {@code leaf} added after its last leaf: every key of {@code leaf} is greater
     * than every key below {@code root}. Copies the rightmost path once.
     */
    static Node appendLeaf(Node root, Leaf leaf) {
        if (root == null) {
            return leaf;
        }
        Node[] by = root instanceof Inner in ? in.append(leaf) : new Node[] {root, leaf};
        return by.length == 1 ? by[0] : Inner.of(by);
    }

    /** A node: a leaf or an inner node. */
    abstract static sealed class Node permits Leaf, Inner {
        /** The entries below. */
        abstract int size();

        /** The entries of a leaf, the children of an inner node. */
        abstract int count();

        /** The least key below. */
        abstract Object minKey();

        /** This node with the entry put: a node, or a {@code Node[2]} when it overflowed. */
        abstract Object put(Object key, Object value);

        /** This node without {@code key}: itself when absent; possibly below {@link #MIN} or empty. */
        abstract Node remove(Object key);

        abstract void forEach(BiConsumer<Object, Object> action);

        /** Two neighbours of one level as one node, or two balanced ones when they do not fit in one. */
        static Object merge(Node a, Node b) {
            if (a instanceof Leaf x) {
                return Leaf.of(concat(x.kv, ((Leaf) b).kv), (x.count() + b.count()) / 2);
            }
            Inner x = (Inner) a;
            Inner y = (Inner) b;
            int[] sizes = Arrays.copyOf(x.sizes, x.count() + y.count());
            System.arraycopy(y.sizes, 0, sizes, x.count(), y.count());
            return Inner.of(concat(x.kk, y.kk), sizes, sizes.length / 2);
        }

        private static Object[] concat(Object[] a, Object[] b) {
            Object[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }

    /** Up to {@link #MAX} entries, keys and values interleaved in one array: one object less per leaf. */
    static final class Leaf extends Node {
        final Object[] kv;

        Leaf(Object[] kv) {
            this.kv = kv;
        }

        /** A leaf of {@code kv}, or two of it split at entry {@code split} when it holds more than {@link #MAX}. */
        static Object of(Object[] kv, int split) {
            if (kv.length <= 2 * MAX) {
                return new Leaf(kv);
            }
            return new Node[] {new Leaf(Arrays.copyOfRange(kv, 0, 2 * split)),
                new Leaf(Arrays.copyOfRange(kv, 2 * split, kv.length))};
        }

        @Override
        int size() {
            return kv.length >> 1;
        }

        @Override
        int count() {
            return kv.length >> 1;
        }

        @Override
        Object minKey() {
            return kv[0];
        }

        /** The index of {@code key}, or {@code -(insertion point) - 1}. */
        int find(Object key) {
            int lo = 0;
            int hi = count() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(kv[2 * mid], key);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        @Override
        Object put(Object key, Object value) {
            int i = find(key);
            if (i >= 0) {
                if (kv[2 * i + 1] == value) {
                    return this;
                }
                Object[] c = kv.clone();
                c[2 * i + 1] = value;
                return new Leaf(c);
            }
            int at = -i - 1;
            Object[] all = new Object[kv.length + 2];
            System.arraycopy(kv, 0, all, 0, 2 * at);
            all[2 * at] = key;
            all[2 * at + 1] = value;
            System.arraycopy(kv, 2 * at, all, 2 * at + 2, kv.length - 2 * at);
            return of(all, splitPoint(at, count() + 1));
        }

        @Override
        Node remove(Object key) {
            int i = find(key);
            if (i < 0) {
                return this;
            }
            Object[] c = new Object[kv.length - 2];
            System.arraycopy(kv, 0, c, 0, 2 * i);
            System.arraycopy(kv, 2 * i + 2, c, 2 * i, c.length - 2 * i);
            return new Leaf(c);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < kv.length; i += 2) {
                action.accept(kv[i], kv[i + 1]);
            }
        }
    }

    /** Up to {@link #MAX} children: each child's least key and the child interleaved, and each child's size. */
    static final class Inner extends Node {
        final Object[] kk;
        final int[] sizes;
        private final int size;

        private Inner(Object[] kk, int[] sizes, int size) {
            this.kk = kk;
            this.sizes = sizes;
            this.size = size;
        }

        /** An inner node over {@code kids} (at most {@link #MAX}). */
        static Inner of(Node[] kids) {
            Object[] kk = new Object[2 * kids.length];
            int[] sizes = new int[kids.length];
            for (int i = 0; i < kids.length; i++) {
                kk[2 * i] = kids[i].minKey();
                kk[2 * i + 1] = kids[i];
                sizes[i] = kids[i].size();
            }
            return new Inner(kk, sizes, sum(sizes, 0, sizes.length));
        }

        /** One inner node, or two split at child {@code split} when there are more than {@link #MAX} children. */
        static Object of(Object[] kk, int[] sizes, int split) {
            if (sizes.length <= MAX) {
                return new Inner(kk, sizes, sum(sizes, 0, sizes.length));
            }
            return new Node[] {
                new Inner(Arrays.copyOfRange(kk, 0, 2 * split), Arrays.copyOfRange(sizes, 0, split),
                        sum(sizes, 0, split)),
                new Inner(Arrays.copyOfRange(kk, 2 * split, kk.length), Arrays.copyOfRange(sizes, split,
                        sizes.length), sum(sizes, split, sizes.length))};
        }

        private static int sum(int[] a, int from, int to) {
            int s = 0;
            for (int i = from; i < to; i++) {
                s += a[i];
            }
            return s;
        }

        Node kid(int i) {
            return (Node) kk[2 * i + 1];
        }

        @Override
        int size() {
            return size;
        }

        @Override
        int count() {
            return sizes.length;
        }

        @Override
        Object minKey() {
            return kk[0];
        }

        /** The child whose keys {@code key} falls among: the last whose least key is {@code <= key}, else the first. */
        int childFor(Object key) {
            int lo = 1;
            int hi = count() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (compare(kk[2 * mid], key) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return lo - 1;
        }

        @Override
        Object put(Object key, Object value) {
            int k = childFor(key);
            Node child = kid(k);
            Object r = child.put(key, value);
            if (r == child) {
                return this;
            }
            if (r instanceof Node n) {
                Object[] c = kk.clone();
                int[] s = sizes.clone();
                c[2 * k] = n.minKey();
                c[2 * k + 1] = n;
                s[k] = n.size();
                return new Inner(c, s, size - child.size() + n.size());
            }
            Node[] two = (Node[]) r;
            return replace(k, 1, two);
        }

        /** This node with {@code leaf} after its last leaf: one node, or two when it overflowed. */
        Node[] append(Leaf leaf) {
            int last = count() - 1;
            Node kid = kid(last);
            Node[] by = kid instanceof Inner in ? in.append(leaf) : new Node[] {kid, leaf};
            Object r = replace(last, 1, by);
            return r instanceof Node n ? new Node[] {n} : (Node[]) r;
        }

        /** This node with {@code n} children from {@code k} on replaced by {@code by}; may split. */
        private Object replace(int k, int n, Node[] by) {
            int count = count() - n + by.length;
            Object[] c = new Object[2 * count];
            int[] s = new int[count];
            System.arraycopy(kk, 0, c, 0, 2 * k);
            System.arraycopy(sizes, 0, s, 0, k);
            for (int i = 0; i < by.length; i++) {
                c[2 * (k + i)] = by[i].minKey();
                c[2 * (k + i) + 1] = by[i];
                s[k + i] = by[i].size();
            }
            System.arraycopy(kk, 2 * (k + n), c, 2 * (k + by.length), kk.length - 2 * (k + n));
            System.arraycopy(sizes, k + n, s, k + by.length, sizes.length - k - n);
            return of(c, s, splitPoint(k + by.length - 1, count));
        }

        @Override
        Node remove(Object key) {
            int k = childFor(key);
            Node child = kid(k);
            Node r = child.remove(key);
            if (r == child) {
                return this;
            }
            if (r.count() == 0) {
                return (Node) replace(k, 1, new Node[0]);
            }
            if (r.count() < MIN && count() > 1) {
                int left = k > 0 ? k - 1 : k;
                Object m = left == k ? Node.merge(r, kid(k + 1)) : Node.merge(kid(left), r);
                return (Node) replace(left, 2, m instanceof Node one ? new Node[] {one} : (Node[]) m);
            }
            return (Node) replace(k, 1, new Node[] {r});
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 1; i < kk.length; i += 2) {
                ((Node) kk[i]).forEach(action);
            }
        }
    }
}
