package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.List;
import java.util.Objects;

/**
 * What the planner last told the world about each Service, folded from its own decisions: the {@code RuleSet} in
 * force, the instance of the last {@code ServicePlaced}, the reasons of a standing {@code ServiceRejected} and the
 * warnings of the last {@code ServiceWarned}. The planner compares what it would say now with this book and writes
 * only what differs, so a fact that changes nothing writes nothing. Immutable, persistent maps; changed only by
 * {@link ServiceBookDelta}.
 */
public final class ServiceBook {
    /** Nothing said yet. */
    public static final ServiceBook EMPTY = new ServiceBook(TreePMap.empty(), TreePMap.empty(), TreePMap.empty(),
            TreePMap.empty());

    final PSortedMap<String, Decision.RuleSet> rules;
    final PSortedMap<String, String> placed;
    final PSortedMap<String, List<String>> rejected;
    final PSortedMap<String, List<String>> warned;

    ServiceBook(PSortedMap<String, Decision.RuleSet> rules, PSortedMap<String, String> placed,
                PSortedMap<String, List<String>> rejected, PSortedMap<String, List<String>> warned) {
        this.rules = rules;
        this.placed = placed;
        this.rejected = rejected;
        this.warned = warned;
    }

    /** The rule in force per Service. */
    public PSortedMap<String, Decision.RuleSet> rules() {
        return rules;
    }

    /** The instance name of the last {@code ServicePlaced} per Service (cleared when its rule is removed). */
    public PSortedMap<String, String> placed() {
        return placed;
    }

    /** The reasons of each standing rejection. */
    public PSortedMap<String, List<String>> rejected() {
        return rejected;
    }

    /** The warnings last written per Service (absent: none). */
    public PSortedMap<String, List<String>> warned() {
        return warned;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceBook b && rules.equals(b.rules) && placed.equals(b.placed)
                && rejected.equals(b.rejected) && warned.equals(b.warned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, placed, rejected, warned);
    }

    @Override
    public String toString() {
        return "ServiceBook{rules=" + rules.size() + ", placed=" + placed.size() + ", rejected=" + rejected.keySet()
                + ", warned=" + warned.keySet() + "}";
    }
}
