package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.collect.HashTrie;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.List;
import java.util.Map;

/**
 * What the planner last told the world about each Service, folded from its own decisions: the {@code RuleSet} in
 * force, the instance of the last {@code ServicePlaced}, the reasons of a standing {@code ServiceRejected} and the
 * warnings of the last {@code ServiceWarned}. The planner compares what it would say now with this book and writes
 * only what differs, so a fact that changes nothing writes nothing. Immutable; changed only by
 * {@link ServiceBookDelta}.
 * <p>
 * The planner asks the book about one Service on almost every fact, so it is kept in hash tries (a few cache
 * lines per lookup, where a sorted tree of 10,000 names walks fourteen); the sorted maps the tables, snapshots
 * and tests iterate are built from them when first asked for, once per book.
 */
public final class ServiceBook {
    /** Nothing said yet. */
    public static final ServiceBook EMPTY = new ServiceBook(HashTrie.empty(), HashTrie.empty(),
            HashTrie.empty(), HashTrie.empty());

    final HashTrie<String, Decision.RuleSet> rules;
    final HashTrie<String, String> placed;
    final HashTrie<String, List<String>> rejected;
    final HashTrie<String, List<String>> warned;
    /** The sorted views, built on first use (immutable, so a racing second build is harmless). */
    private Sorted sorted;

    private record Sorted(PSortedMap<String, Decision.RuleSet> rules, PSortedMap<String, String> placed,
                          PSortedMap<String, List<String>> rejected, PSortedMap<String, List<String>> warned) {
    }

    ServiceBook(HashTrie<String, Decision.RuleSet> rules, HashTrie<String, String> placed,
                HashTrie<String, List<String>> rejected, HashTrie<String, List<String>> warned) {
        this.rules = rules;
        this.placed = placed;
        this.rejected = rejected;
        this.warned = warned;
    }

    /** A book holding these entries (a restored snapshot). */
    static ServiceBook of(Map<String, Decision.RuleSet> rules, Map<String, String> placed,
                          Map<String, List<String>> rejected, Map<String, List<String>> warned) {
        return new ServiceBook(hashed(rules), hashed(placed), hashed(rejected), hashed(warned));
    }

    private static <V> HashTrie<String, V> hashed(Map<String, V> entries) {
        HashTrie<String, V> out = HashTrie.empty();
        for (Map.Entry<String, V> e : entries.entrySet()) {
            out = out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The rule in force per Service. */
    public PSortedMap<String, Decision.RuleSet> rules() {
        return sorted().rules();
    }

    /** The instance name of the last {@code ServicePlaced} per Service (cleared when its rule is removed). */
    public PSortedMap<String, String> placed() {
        return sorted().placed();
    }

    /** The reasons of each standing rejection. */
    public PSortedMap<String, List<String>> rejected() {
        return sorted().rejected();
    }

    /** The warnings last written per Service (absent: none). */
    public PSortedMap<String, List<String>> warned() {
        return sorted().warned();
    }

    /** The rule in force for {@code service}, null for none. */
    public Decision.RuleSet ruleOf(String service) {
        return rules.get(service);
    }

    /** The instance of the last {@code ServicePlaced} for {@code service}, null for none. */
    public String placedOf(String service) {
        return placed.get(service);
    }

    /** The reasons of the standing rejection of {@code service}, null for none. */
    public List<String> rejectionOf(String service) {
        return rejected.get(service);
    }

    /** The warnings last written for {@code service}, empty for none. */
    public List<String> warningsOf(String service) {
        List<String> w = warned.get(service);
        return w == null ? List.of() : w;
    }

    /** A delta on this book. */
    public ServiceBookDelta delta() {
        return new ServiceBookDelta(this);
    }

    private Sorted sorted() {
        Sorted s = sorted;
        if (s == null) {
            s = new Sorted(sortedOf(rules), sortedOf(placed), sortedOf(rejected), sortedOf(warned));
            sorted = s;
        }
        return s;
    }

    private static <V> PSortedMap<String, V> sortedOf(HashTrie<String, V> map) {
        java.util.TreeMap<String, V> entries = new java.util.TreeMap<>();
        map.forEach(entries::put);
        return TreePMap.from(entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceBook b && rules.equals(b.rules) && placed.equals(b.placed)
                && rejected.equals(b.rejected) && warned.equals(b.warned);
    }

    @Override
    public int hashCode() {
        return ((rules.hashCode() * 31 + placed.hashCode()) * 31 + rejected.hashCode()) * 31 + warned.hashCode();
    }

    @Override
    public String toString() {
        return "ServiceBook{rules=" + rules.size() + ", placed=" + placed.size() + ", rejected="
                + rejected().keySet() + ", warned=" + warned().keySet() + "}";
    }
}
