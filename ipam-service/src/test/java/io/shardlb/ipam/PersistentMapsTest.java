package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentSortedMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The persistent sorted map behaves like a TreeMap, and older versions never change. */
class PersistentMapsTest {

    @Property(tries = 200)
    void sortedMapMatchesTreeMap(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 200) Integer> keys) {
        PersistentSortedMap<Integer, Integer> p = PersistentSortedMap.empty();
        TreeMap<Integer, Integer> t = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int k = keys.get(i);
            if (i % 3 == 2) {
                p = p.remove(k);
                t.remove(k);
            } else {
                p = p.put(k, i);
                t.put(k, i);
            }
            assertEquals(t.size(), p.size());
        }
        List<Integer> order = new java.util.ArrayList<>();
        p.forEach((k, v) -> order.add(k));
        assertEquals(List.copyOf(t.keySet()), order);
        for (int k = -1; k <= 201; k++) {
            assertEquals(t.get(k), p.get(k));
            assertEquals(t.floorKey(k), p.floorEntry(k) == null ? null : p.floorEntry(k).getKey());
            assertEquals(t.ceilingKey(k), p.ceilingEntry(k) == null ? null : p.ceilingEntry(k).getKey());
            assertEquals(t.headMap(k).size(), p.rank(k));
            assertEquals(t.subMap(k, true, k + 17, true).size(), p.countInRange(k, k + 17));
        }
    }

    /**
     * Large enough for several levels of nodes: ascending runs (how addresses are handed out), random removals that
     * make nodes merge, every older version left as it was, and equality that ignores the shape of the tree.
     */
    @Property(tries = 30)
    void sortedMapMatchesTreeMapAcrossLevels(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 3000)
            Integer> starts, @ForAll @IntRange(min = 1, max = 400) int run) {
        PersistentSortedMap<Integer, Integer> p = PersistentSortedMap.empty();
        TreeMap<Integer, Integer> t = new TreeMap<>();
        java.util.Random random = new java.util.Random(starts.getFirst() * 31L + run);
        List<PersistentSortedMap<Integer, Integer>> versions = new java.util.ArrayList<>();
        List<TreeMap<Integer, Integer>> expected = new java.util.ArrayList<>();
        for (int s : starts) {
            for (int k = s; k < s + run; k++) {
                p = p.put(k, k + s);
                t.put(k, k + s);
            }
            for (int i = 0; i < run / 2 + 1; i++) {
                int k = s + random.nextInt(run);
                p = p.remove(k);
                t.remove(k);
            }
            versions.add(p);
            expected.add(new TreeMap<>(t));
        }
        for (int i = 0; i < versions.size(); i++) {
            PersistentSortedMap<Integer, Integer> v = versions.get(i);
            TreeMap<Integer, Integer> e = expected.get(i);
            assertEquals(e.size(), v.size());
            List<Integer> order = new java.util.ArrayList<>();
            v.forEach((k, x) -> order.add(k));
            assertEquals(List.copyOf(e.keySet()), order, "version " + i + " never changes");
        }
        assertEquals(t.isEmpty() ? null : t.firstKey(), p.firstEntry() == null ? null : p.firstEntry().getKey());
        for (int k = -1; k <= 3500; k += 7) {
            assertEquals(t.get(k), p.get(k));
            assertEquals(t.floorKey(k), p.floorEntry(k) == null ? null : p.floorEntry(k).getKey());
            assertEquals(t.ceilingKey(k), p.ceilingEntry(k) == null ? null : p.ceilingEntry(k).getKey());
            assertEquals(t.headMap(k).size(), p.rank(k));
            assertEquals(t.subMap(k, true, k + 100, true).size(), p.countInRange(k, k + 100));
            List<Integer> from = new java.util.ArrayList<>();
            p.iteratorFrom(k).forEachRemaining(en -> from.add(en.getKey()));
            assertEquals(List.copyOf(t.tailMap(k, true).keySet()), from);
        }
        PersistentSortedMap<Integer, Integer> descending = PersistentSortedMap.empty();
        for (Map.Entry<Integer, Integer> e : t.descendingMap().entrySet()) {
            descending = descending.put(e.getKey(), e.getValue());
        }
        assertEquals(descending, p);
        assertEquals(descending.hashCode(), p.hashCode());
        for (Integer k : List.copyOf(t.keySet())) {
            p = p.remove(k);
        }
        assertEquals(PersistentSortedMap.empty(), p);
        assertEquals(0, p.size());
    }

    /**
     * Ascending insertions land in the map's last leaf, kept out of the tree until it fills: insertions, removals
     * and reads right at that boundary (below, at and above the last leaf's least key, into an emptied last leaf)
     * behave like a TreeMap, and every older version stays as it was.
     */
    @Property(tries = 100)
    void sortedMapMatchesTreeMapAtItsUpperEnd(@ForAll @Size(max = 600) List<@IntRange(min = 0, max = 9) Integer> ops) {
        PersistentSortedMap<Integer, Integer> p = PersistentSortedMap.empty();
        TreeMap<Integer, Integer> t = new TreeMap<>();
        List<PersistentSortedMap<Integer, Integer>> versions = new java.util.ArrayList<>();
        List<List<Integer>> expected = new java.util.ArrayList<>();
        int top = 0;
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            int k = switch (op) {
                case 0, 1, 2, 3 -> ++top;              // the next ascending key
                case 4, 5 -> Math.max(0, top - op);    // just below the top: into or before the last leaf
                default -> Math.max(0, top - 3 * op);  // further down, into the tree
            };
            if (op == 5 || op >= 8) {
                p = p.remove(k);
                t.remove(k);
            } else {
                p = p.put(k, i);
                t.put(k, i);
            }
            versions.add(p);
            expected.add(List.copyOf(t.keySet()));
            assertEquals(t.size(), p.size());
            assertEquals(t.isEmpty() ? null : t.firstKey(), p.firstEntry() == null ? null : p.firstEntry().getKey());
            for (int q = Math.max(-1, top - 20); q <= top + 1; q++) {
                assertEquals(t.get(q), p.get(q));
                assertEquals(t.floorKey(q), p.floorEntry(q) == null ? null : p.floorEntry(q).getKey());
                assertEquals(t.headMap(q).size(), p.rank(q));
            }
        }
        for (int i = 0; i < versions.size(); i++) {
            List<Integer> order = new java.util.ArrayList<>();
            versions.get(i).forEach((k, x) -> order.add(k));
            assertEquals(expected.get(i), order, "version " + i + " never changes");
        }
        for (int q = -1; q <= top + 1; q += 3) {
            List<Integer> from = new java.util.ArrayList<>();
            p.iteratorFrom(q).forEachRemaining(en -> from.add(en.getKey()));
            assertEquals(List.copyOf(t.tailMap(q, true).keySet()), from);
            assertEquals(t.subMap(q, true, q + 40, true).size(), p.countInRange(q, q + 40));
        }
        PersistentSortedMap<Integer, Integer> rebuilt = PersistentSortedMap.empty();
        for (Map.Entry<Integer, Integer> e : t.entrySet()) {
            rebuilt = rebuilt.put(e.getKey(), e.getValue());
        }
        assertEquals(rebuilt, p);
        assertEquals(rebuilt.hashCode(), p.hashCode());
    }

}
