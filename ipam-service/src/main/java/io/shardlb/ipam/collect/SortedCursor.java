package io.shardlb.ipam.collect;

import io.shardlb.ipam.collect.BTree.Inner;
import io.shardlb.ipam.collect.BTree.Leaf;
import io.shardlb.ipam.collect.BTree.Node;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Walks the entries of a {@link PersistentSortedMap} from a key on: a stack of inner nodes and the child taken in
 * each, then a leaf; after the tree, the map's tail (its last leaf, kept out of the tree).
 */
final class SortedCursor<K, V> implements Iterator<Map.Entry<K, V>> {
    private final Inner[] inners = new Inner[32];
    private final int[] taken = new int[32];
    private int depth;
    private Leaf leaf;
    private int next;
    /** The tail, still to walk after the tree; null once reached. */
    private Leaf tail;

    SortedCursor(Node root, Leaf tail, Object from) {
        this.tail = tail;
        Node n = tail != null && from != null && BTree.compare(from, tail.minKey()) >= 0 ? null : root;
        if (n == null) {
            // nothing of the tree is at or above from: start in the tail
            leaf = this.tail;
            this.tail = null;
            if (leaf != null) {
                seek(from);
            }
            settle();
            return;
        }
        while (n instanceof Inner in) {
            int k = from == null ? 0 : in.childFor(from);
            inners[depth] = in;
            taken[depth++] = k;
            n = in.kid(k);
        }
        leaf = (Leaf) n;
        if (leaf != null && from != null) {
            seek(from);
        }
        settle();
    }

    private void seek(Object from) {
        if (from != null) {
            int i = leaf.find(from);
            next = i >= 0 ? i : -i - 1;
        }
    }

    /** Moves past an exhausted leaf to the first entry of the next one (or to the end). */
    private void settle() {
        while (leaf != null && next >= leaf.count()) {
            int d = depth - 1;
            while (d >= 0 && taken[d] + 1 >= inners[d].count()) {
                d--;
            }
            if (d < 0) {
                // the tree is done: the tail follows (every key in it is greater)
                leaf = tail;
                tail = null;
                depth = 0;
                next = 0;
                continue;
            }
            taken[d]++;
            Node n = inners[d].kid(taken[d]);
            depth = d + 1;
            while (n instanceof Inner in) {
                inners[depth] = in;
                taken[depth++] = 0;
                n = in.kid(0);
            }
            leaf = (Leaf) n;
            next = 0;
        }
    }

    @Override
    public boolean hasNext() {
        return leaf != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> next() {
        if (leaf == null) {
            throw new NoSuchElementException();
        }
        Map.Entry<K, V> e = new AbstractMap.SimpleImmutableEntry<>((K) leaf.kv[2 * next],
                (V) leaf.kv[2 * next + 1]);
        next++;
        settle();
        return e;
    }
}
