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
    private HashTrie<String, Fact.ServiceObserved> services;
    private HashTrie<String, Fact.EndpointsObserved> endpoints;
    private HashTrie<String, Fact.AgentObserved> agentPods;
    private Provenance provenance;

    ObservedDelta(ObservedImage base) {
        this.base = base;
        this.config = base.config().orElse(null);
        this.services = base.services;
        this.endpoints = base.endpoints;
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
            case Fact.ServiceObserved s -> services = services.put(s.service(), s);
            case Fact.ServiceGone g -> {
                services = services.remove(g.service());
                endpoints = endpoints.remove(g.service());
            }
            case Fact.EndpointsObserved e -> endpoints = endpoints.put(e.service(), e);
            case Fact.AgentObserved a -> agentPods = a.deleted() ? agentPods.remove(a.agent())
                    : agentPods.put(a.agent(), a);
            default -> {
                // liveness, holdings and ticks are the arbiter's and the planner's business
            }
        }
    }

    @Override
    public ObservedImage apply() {
        if (config == base.config().orElse(null) && services == base.services && endpoints == base.endpoints
                && agentPods == base.agentPods && provenance.equals(base.provenance())) {
            return base;
        }
        return new ObservedImage(config, services, endpoints, agentPods, provenance);
    }
}
