package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentHashMap;
import io.shardlb.ipam.collect.PersistentSortedMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The persistent maps behave like their mutable JDK counterparts, and older versions never change. */
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

    @Property(tries = 200)
    void hashMapMatchesHashMap(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 300) Integer> keys) {
        PersistentHashMap<String, Integer> p = PersistentHashMap.empty();
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            // "Aa" and "BB" share a hash code: collisions are exercised too
            String k = (keys.get(i) % 2 == 0 ? "Aa" : "BB") + keys.get(i) / 2;
            PersistentHashMap<String, Integer> before = p;
            int sizeBefore = before.size();
            if (i % 3 == 2) {
                p = p.remove(k);
                m.remove(k);
            } else {
                p = p.put(k, i);
                m.put(k, i);
            }
            assertEquals(sizeBefore, before.size(), "older versions never change");
            assertEquals(m.size(), p.size());
        }
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            assertEquals(e.getValue(), p.get(e.getKey()));
        }
        Map<String, Integer> seen = new HashMap<>();
        p.forEach(seen::put);
        assertEquals(m, seen);
        PersistentHashMap<String, Integer> rebuilt = PersistentHashMap.empty();
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            rebuilt = rebuilt.put(e.getKey(), e.getValue());
        }
        assertEquals(rebuilt, p);
        assertEquals(rebuilt.hashCode(), p.hashCode());
    }
}
