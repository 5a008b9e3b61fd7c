package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RuleEndpoint;

import java.util.List;

/**
 * Answers the two commonest facts without re-running {@link ServiceDecider#evaluate} (settings parse, IPAM
 * request, placement), which is most of the planner's work per fact.
 * <p>
 * Why the answers are the same: after every step every Service is a fixed point of {@code evaluate} (it emits
 * nothing on the image it left; {@code PlannerPropertiesTest} checks this after every fact). A fact about one
 * Service changes, besides that Service's observation, only the log time, and the log time reaches a Service's
 * evaluation only through IPAM quarantines ending, which matters only to a Service waiting in the pending queue.
 * So for a Service that is not pending:
 * <ul>
 *   <li>a {@code ServiceObserved} equal to the one already observed changes nothing, and</li>
 *   <li>an {@code EndpointsObserved} for a Service with a rule in force changes only the rule's endpoints (a rule
 *   in force means the Service was accepted, holds its VIP and is placed: anything else would have removed it).</li>
 * </ul>
 * Every other case returns {@code false} and takes the full evaluation. {@code ShortcutsPropertiesTest} compares
 * both ways on random fact sequences.
 */
final class Shortcuts {
    private Shortcuts() {
    }

    /**
     * Answers a {@code ServiceObserved} equal to the one {@code before} held.
     *
     * @param w      the work after the fact was folded in
     * @param before the image the fact was folded into
     * @return whether the fact was answered (by nothing)
     */
    static boolean unchangedService(Work w, PlannerImage before, Fact.ServiceObserved svc) {
        Fact.ServiceObserved was = before.observed().service(svc.service());
        return was != null && (was == svc || was.equals(svc)) && !w.ipam.isPending(svc.service());
    }

    /**
     * Answers an {@code EndpointsObserved} for a Service with a rule in force by restating the rule with the new
     * endpoints, when they differ.
     *
     * @param w       the work after the fact was folded in
     * @param service the Service's name ({@code eps.service()}, possibly another instance of it)
     * @return whether the fact was answered
     */
    static boolean endpoints(Work w, Fact.EndpointsObserved eps, String service) {
        Decision.RuleSet rule = w.book.ruleOf(service);
        if (rule == null || w.ipam.isPending(service)) {
            return false;
        }
        Fact.ServiceObserved svc = w.observed.service(service);
        if (svc == null) {
            return false;
        }
        // the accepted spec's ports are the observed ports (validated, copied): map the endpoints as the rule does
        List<RuleEndpoint> endpoints = RuleBuilder.endpoints(svc.ports(), eps);
        // sizes first: comparing the first elements reads the old rule's addresses, likely out of the cache
        if (endpoints.size() != rule.endpoints().size() || !endpoints.equals(rule.endpoints())) {
            w.emit(new Decision.RuleSet(service, rule.vip(), rule.ports(), rule.mode(), rule.select(),
                    rule.timeoutSeconds(), rule.sourceRanges(), endpoints, rule.instance()));
        }
        return true;
    }
}
