package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.RuleSetAdapter;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent knows of the plan, folded record by record: the rule of every Service (a backup has the rules
 * ready), where each Service is placed, and each instance's current term. Pure (no I/O, no clock): {@link #apply}
 * returns the forwarder deltas a record implies, never the whole table. Written by the agent's loop thread only;
 * the maps are concurrent so the read-only API may look at them meanwhile (a weakly consistent view).
 */
public final class PlanTracker {

    /**
     * An instance's current term.
     *
     * @param master  the incarnation it names, null for nobody
     * @param term    the term
     * @param backups ordered backup agents
     * @param handingOverTo the intended new master while a planned handover of this term is pending, else null
     */
    public record Term(AgentRef master, long term, List<String> backups, AgentRef handingOverTo) {
    }

    private final Map<String, Decision.RuleSet> rules = new ConcurrentHashMap<>();
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    private final Map<String, Term> terms = new ConcurrentHashMap<>();
    private volatile long version;

    /**
     * Folds one plan record; returns the rule deltas for the forwarder (RuleSet / RuleRemoved only).
     *
     * @throws IllegalArgumentException if a RuleSet cannot be turned into rules (bad address, mode, port)
     */
    public List<RuleDelta> apply(Decision decision) {
        return switch (decision) {
            case Decision.RuleSet set -> onRuleSet(set);
            case Decision.RuleRemoved removed -> onRuleRemoved(removed.service());
            case Decision.ServicePlaced p -> {
                placed.put(p.service(), p.instance());
                version++;
                yield List.of();
            }
            case Decision.InstanceMastered m -> {
                Term known = terms.get(m.instance());
                if (known == null || known.term() <= m.term()) {
                    terms.put(m.instance(), new Term(m.master(), m.term(), m.backups(), null));
                    version++;
                }
                yield List.of();
            }
            case Decision.InstanceHandover h -> {
                Term known = terms.get(h.instance());
                if (known != null && known.term() == h.term()) {
                    terms.put(h.instance(), new Term(known.master(), known.term(), known.backups(), h.to()));
                    version++;
                }
                yield List.of();
            }
            case Decision.VipAllocated a -> List.of();
            case Decision.VipReleased r -> List.of();
            case Decision.AllocationRejected r -> List.of();
            case Decision.AllocationKept k -> List.of();
            case Decision.ServiceRejected r -> List.of();
            case Decision.ServiceWarned w -> List.of();
        };
    }

    private List<RuleDelta> onRuleSet(Decision.RuleSet set) {
        List<ServiceRule> next = RuleSetAdapter.rules(set); // throws before anything changes
        Decision.RuleSet old = rules.put(set.service(), set);
        List<RuleDelta> out = new ArrayList<>(next.size() + 1);
        if (old != null) {
            Set<String> keep = new HashSet<>(RuleSetAdapter.ruleIds(set));
            for (String id : RuleSetAdapter.ruleIds(old)) {
                if (!keep.contains(id)) {
                    out.add(new RuleDelta.Remove(id));
                }
            }
        }
        next.forEach(r -> out.add(new RuleDelta.Upsert(r)));
        version++;
        return out;
    }

    private List<RuleDelta> onRuleRemoved(String service) {
        Decision.RuleSet old = rules.remove(service);
        if (old == null) {
            return List.of();
        }
        version++;
        return RuleSetAdapter.ruleIds(old).stream().<RuleDelta>map(RuleDelta.Remove::new).toList();
    }

    /** Grows whenever a rule, a placement or a term changes (so callers recompute only then). */
    public long version() {
        return version;
    }

    /** The instance a Service's VIP sits on: its RuleSet's, else its last placement; null if unknown. */
    public String instanceOf(String service) {
        Decision.RuleSet set = rules.get(service);
        if (set != null && !set.instance().isEmpty()) {
            return set.instance();
        }
        return placed.get(service);
    }

    /** The VIPs of the Services placed on any of {@code instances}. */
    public Set<InetAddress> vipsOn(Collection<String> instances) {
        Set<InetAddress> out = new HashSet<>();
        if (instances.isEmpty()) {
            return out;
        }
        for (Decision.RuleSet set : rules.values()) {
            if (instances.contains(instanceOf(set.service()))) {
                out.add(Addresses.parse(set.vip()));
            }
        }
        return out;
    }

    /** Whether any current term names an incarnation of {@code agent} as master. */
    public boolean mastersAny(String agent) {
        return terms.values().stream().anyMatch(t -> t.master() != null && t.master().agent().equals(agent));
    }

    /** The rules in force, by Service (live view). */
    public Map<String, Decision.RuleSet> rules() {
        return rules;
    }

    /** The current term of each instance (live view). */
    public Map<String, Term> terms() {
        return terms;
    }

    /** The number of rules (forwarder rules: one per port). */
    public int ruleCount() {
        int n = 0;
        for (Decision.RuleSet s : rules.values()) {
            n += s.ports().size();
        }
        return n;
    }
}
