package io.shardlb.planner.core;

import io.shardlb.events.image.Delta;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import io.shardlb.events.collect.HashTrie;

import java.util.List;

/**
 * Folds records into a {@link ServiceBook}. Decisions say what was told; {@code ServiceGone} forgets a Service's
 * rejection and warnings (its rule leaves only with a {@code RuleRemoved}). Anything that grants the Service an
 * address or a rule ends a standing rejection.
 */
public final class ServiceBookDelta implements Delta<ServiceBook> {
    private final ServiceBook base;
    private HashTrie<String, Decision.RuleSet> rules;
    private HashTrie<String, String> placed;
    private HashTrie<String, List<String>> rejected;
    private HashTrie<String, List<String>> warned;

    ServiceBookDelta(ServiceBook base) {
        this.base = base;
        this.rules = base.rules;
        this.placed = base.placed;
        this.rejected = base.rejected;
        this.warned = base.warned;
    }

    @Override
    public void replay(LogEntry entry) {
        replay(entry.envelope().payload());
    }

    /** Folds a bare payload. */
    public void replay(Payload payload) {
        switch (payload) {
            case Fact.ServiceGone g -> {
                rejected = rejected.remove(g.service());
                warned = warned.remove(g.service());
            }
            case Decision.RuleSet r -> {
                rules = rules.put(r.service(), r);
                rejected = rejected.remove(r.service());
            }
            case Decision.RuleRemoved r -> {
                rules = rules.remove(r.service());
                placed = placed.remove(r.service());
            }
            case Decision.ServicePlaced p -> {
                placed = placed.put(p.service(), p.instance());
                rejected = rejected.remove(p.service());
            }
            case Decision.VipAllocated a -> rejected = rejected.remove(a.service());
            case Decision.AllocationRejected a -> rejected = rejected.remove(a.service());
            case Decision.ServiceRejected r -> {
                rejected = rejected.put(r.service(), r.reasons());
                placed = placed.remove(r.service());
            }
            case Decision.ServiceWarned w -> warned = w.warnings().isEmpty() ? warned.remove(w.service())
                    : warned.put(w.service(), w.warnings());
            default -> {
                // other records do not change what was said about a Service
            }
        }
    }

    @Override
    public ServiceBook apply() {
        if (rules == base.rules && placed == base.placed && rejected == base.rejected && warned == base.warned) {
            return base;
        }
        return new ServiceBook(rules, placed, rejected, warned);
    }
}
