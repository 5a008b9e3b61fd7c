package io.shardlb.events.collect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash trie behaves as a map, keeps every older version intact, and sorts on demand. */
class HashTrieTest {

    @Property(tries = 200)
    void behavesAsAMapAndKeepsOlderVersions(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 300) Integer> keys) {
        HashTrie<String, Integer> trie = HashTrie.empty();
        Map<String, Integer> model = new HashMap<>();
        List<HashTrie<String, Integer>> versions = new ArrayList<>();
        List<Map<String, Integer>> models = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            // "Aa" and "BB" share a hash code, so keys 2j and 2j+1 collide: collisions are exercised too
            String k = (keys.get(i) % 2 == 0 ? "Aa" : "BB") + keys.get(i) / 2;
            if (i % 3 == 2) {
                trie = trie.remove(k);
                model.remove(k);
            } else {
                trie = trie.put(k, i);
                model.put(k, i);
            }
            versions.add(trie);
            models.add(new HashMap<>(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            assertEquals(models.get(v), contents(versions.get(v)), "version " + v + " never changes");
            assertEquals(models.get(v).size(), versions.get(v).size());
        }
        for (Map.Entry<String, Integer> e : model.entrySet()) {
            assertEquals(e.getValue(), trie.get(e.getKey()));
            assertTrue(trie.containsKey(e.getKey()));
        }
        assertNull(trie.get("absent"));
        HashTrie<String, Integer> rebuilt = HashTrie.empty();
        for (Map.Entry<String, Integer> e : new TreeMap<>(model).descendingMap().entrySet()) {
            rebuilt = rebuilt.put(e.getKey(), e.getValue());
        }
        assertEquals(rebuilt, trie, "equality is by content, whatever the order of insertion");
        assertEquals(rebuilt.hashCode(), trie.hashCode());
        assertEquals(new TreeMap<>(model), trie.sorted(Comparator.naturalOrder()));
        assertEquals(List.copyOf(new TreeMap<>(model).keySet()), trie.sortedKeys(Comparator.naturalOrder()));
    }

    @Test
    void unchangedUpdatesReturnTheSameMap() {
        HashTrie<String, String> a = HashTrie.<String, String>empty().put("ns/a", "x").put("ns/b", "y");
        assertSame(a, a.remove("ns/c"));
        assertSame(a, a.put("ns/a", a.get("ns/a")));
        assertNotEquals(a, a.put("ns/a", "z"));
        assertTrue(a.remove("ns/a").remove("ns/b").isEmpty());
    }

    @Test
    void replacingAValueKeepsTheKeyFirstPut() {
        String first = new String("ns/a");
        String second = new String("ns/a");
        HashTrie<String, Integer> t = HashTrie.<String, Integer>empty().put(first, 1).put(second, 2);
        assertEquals(2, t.get("ns/a"));
        assertSame(first, t.storedKey(second));
        assertNull(t.storedKey("ns/b"));
        // colliding keys ("Aa" and "BB" share a hash code) keep theirs too
        String aa = new String("Aa");
        HashTrie<String, Integer> c = HashTrie.<String, Integer>empty().put(aa, 1).put("BB", 2)
                .put(new String("Aa"), 3);
        assertSame(aa, c.storedKey("Aa"));
        assertEquals(3, c.get("Aa"));
        assertEquals(2, c.get("BB"));
    }

    @Test
    void sortsByTheGivenOrder() {
        HashTrie<String, Integer> t = HashTrie.<String, Integer>empty().put("b", 2).put("a", 1).put("c", 3);
        assertEquals(List.of("c", "b", "a"), t.sortedKeys(Comparator.reverseOrder()));
        assertEquals(List.of("c", "b", "a"), List.copyOf(t.sorted(Comparator.reverseOrder()).keySet()));
    }

    private static Map<String, Integer> contents(HashTrie<String, Integer> trie) {
        Map<String, Integer> out = new HashMap<>();
        trie.forEach(out::put);
        return out;
    }

    /**
     * Thousands of keys: slots fill up to buckets, buckets overflow into branches and shrink back to single
     * entries on removal, over several levels; every version matches a HashMap and older versions never change.
     */
    @Property(tries = 20)
    void hashMapMatchesHashMapAcrossLevels(@ForAll @IntRange(min = 1, max = 6000) int n,
                                           @ForAll @IntRange(min = 0, max = 1000) int seed) {
        java.util.Random random = new java.util.Random(seed);
        HashTrie<String, Integer> p = HashTrie.empty();
        Map<String, Integer> m = new HashMap<>();
        List<HashTrie<String, Integer>> versions = new java.util.ArrayList<>();
        List<Map<String, Integer>> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * n; i++) {
            String k = "ns/svc-" + random.nextInt(n);
            if (random.nextInt(3) == 0) {
                p = p.remove(k);
                m.remove(k);
            } else {
                p = p.put(k, i);
                m.put(k, i);
            }
            if (i % (n / 4 + 1) == 0) {
                versions.add(p);
                expected.add(new HashMap<>(m));
            }
        }
        assertEquals(m.size(), p.size());
        for (int k = 0; k < n; k++) {
            assertEquals(m.get("ns/svc-" + k), p.get("ns/svc-" + k));
        }
        for (int i = 0; i < versions.size(); i++) {
            Map<String, Integer> seen = new HashMap<>();
            versions.get(i).forEach(seen::put);
            assertEquals(expected.get(i), seen, "version " + i + " never changes");
            assertEquals(expected.get(i).size(), versions.get(i).size());
        }
        for (String k : List.copyOf(m.keySet())) {
            p = p.remove(k);
        }
        assertEquals(0, p.size());
        assertEquals(HashTrie.empty(), p);
    }
}
