package io.shardlb.events.observed;

import io.shardlb.events.collect.HashTrie;
import io.shardlb.events.image.Delta;
import io.shardlb.events.image.Provenance;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;

/**
 * Folds facts into an {@link ObservedImage}. Facts are observations, so they never conflict: the latest one
 * wins, and a {@code ServiceGone} for a service never seen is harmless (the bridge may report it after a
 * restart). Records that are not about observations (agent liveness, ticks) only advance the provenance.
 */
public final class ObservedDelta implements Delta<ObservedImage> {
    private final ObservedImage base;
    private Fact.ConfigObserved config;
    private HashTrie<String, ObservedImage.Entry> entries;
    private int serviceCount;
    private int endpointsCount;
    private HashTrie<String, Fact.AgentObserved> agentPods;
    private Provenance provenance;

    ObservedDelta(ObservedImage base) {
        this.base = base;
        this.config = base.config().orElse(null);
        this.entries = base.entries;
        this.serviceCount = base.serviceCount;
        this.endpointsCount = base.endpointsCount;
        this.agentPods = base.agentPods;
        this.provenance = base.provenance();
    }

    @Override
    public void replay(LogEntry entry) {
        replay(entry.envelope().payload());
        provenance = new Provenance(entry.offset(), entry.logTime());
    }

    /** Folds one payload in without moving the provenance (for callers that track positions themselves). */
    public void replay(Payload payload) {
        switch (payload) {
            case Fact.ConfigObserved c -> config = c;
            case Fact.ServiceObserved s -> {
                ObservedImage.Entry e = entries.get(s.service());
                serviceCount += e == null || e.service() == null ? 1 : 0;
                entries = entries.put(s.service(), new ObservedImage.Entry(s, e == null ? null : e.endpoints()));
            }
            case Fact.ServiceGone g -> {
                ObservedImage.Entry e = entries.get(g.service());
                if (e != null) {
                    serviceCount -= e.service() == null ? 0 : 1;
                    endpointsCount -= e.endpoints() == null ? 0 : 1;
                    entries = entries.remove(g.service());
                }
            }
            case Fact.EndpointsObserved eps -> {
                ObservedImage.Entry e = entries.get(eps.service());
                endpointsCount += e == null || e.endpoints() == null ? 1 : 0;
                entries = entries.put(eps.service(), new ObservedImage.Entry(e == null ? null : e.service(), eps));
            }
            case Fact.AgentObserved a -> agentPods = a.deleted() ? agentPods.remove(a.agent())
                    : agentPods.put(a.agent(), a);
            default -> {
                // liveness, holdings and ticks are the arbiter's and the planner's business
            }
        }
    }

    @Override
    public ObservedImage apply() {
        if (config == base.config().orElse(null) && entries == base.entries && agentPods == base.agentPods
                && provenance.equals(base.provenance())) {
            return base;
        }
        return new ObservedImage(config, entries, serviceCount, endpointsCount, agentPods, provenance);
    }

    /** The image with what was folded in, at {@code at} (a restored snapshot's position). */
    ObservedImage applyAt(Provenance at) {
        provenance = at;
        return apply();
    }
}
