package io.shardlb.planner.core;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.ipam.IpamDelta;
import io.shardlb.ipam.IpamManager;
import io.shardlb.planner.mastership.Mastership;
import io.shardlb.planner.mastership.MastershipStep;
import io.shardlb.planner.placement.Placement;
import io.shardlb.planner.placement.PlacementChange;
import io.shardlb.planner.placement.PlacementDelta;

import java.util.List;

/**
 * The planner: {@code plan = fold(events)}. {@link #step} folds one fact into the root image, decides, and folds
 * the decisions back; it reads no clock (time is the fact's log time) and iterates only sorted maps, so the same
 * facts always give the same decisions. The same code runs live, in restart replay and in
 * {@code replay --verify}.
 * <p>
 * Work per fact is O(log Services) except for {@code ConfigObserved}, which re-evaluates every Service (defaults,
 * pools and instance names may have changed), and for retries of the IPAM pending queue after an address frees.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * Answers one fact read from {@code events}.
     *
     * @throws IllegalArgumentException if {@code entry} is not a fact from {@code events}
     * @throws io.shardlb.events.image.ReplayException if a decision cannot be folded (a bug: the stage stops)
     */
    public static Step step(PlannerImage image, LogEntry entry) {
        if (entry.topic() != Topic.EVENTS || !(entry.envelope().payload() instanceof Fact fact)) {
            throw new IllegalArgumentException("the planner answers facts from events, not " + entry.envelope().type()
                    + " at " + entry.position());
        }
        Provenance at = new Provenance(entry.offset(), entry.logTime());
        Work w = new Work(image, at);
        int quarantinedBefore = image.ipam().quarantinedCount();
        foldFact(w, entry, fact);
        switch (fact) {
            case Fact.ConfigObserved c -> onConfig(w);
            case Fact.ServiceObserved s -> {
                if (!Shortcuts.unchangedService(w, image, s)) {
                    ServiceDecider.evaluate(w, image.observed().serviceName(s.service()));
                }
            }
            case Fact.ServiceGone g -> ServiceDecider.evaluate(w, image.observed().serviceName(g.service()));
            case Fact.EndpointsObserved e -> {
                // the name as the images hold it: their lookups then compare by identity (see serviceName)
                String name = image.observed().serviceName(e.service());
                if (!Shortcuts.endpoints(w, e, name)) {
                    ServiceDecider.evaluate(w, name);
                }
            }
            case Fact.Tick t -> w.freed |= w.ipam.quarantinedCount() < quarantinedBefore;
            default -> {
                // agent facts: mastership only (folded with the fact)
            }
        }
        if (w.freed) {
            retryPending(w);
        }
        return new Step(w.image(), w.out);
    }

    static void foldFact(Work w, LogEntry entry, Fact fact) {
        ObservedDelta od = w.observed.delta();
        od.replay(entry);
        w.observed = od.apply();
        IpamDelta id = new IpamDelta(w.ipam);
        id.replay(entry);
        w.ipam = id.apply();
        if (fact instanceof Fact.ConfigObserved || fact instanceof Fact.ServiceObserved
                || fact instanceof Fact.ServiceGone) {
            PlacementDelta pd = new PlacementDelta(w.placement);
            pd.replay(entry);
            w.placement = pd.apply();
        }
        if (fact instanceof Fact.ServiceGone) {
            ServiceBookDelta bd = w.book.delta();
            bd.replay(entry);
            w.book = bd.apply();
        }
        if (concernsMastership(fact)) {
            MastershipStep ms = Mastership.onFact(w.mastership, fact, entry.logTime());
            w.emitMastership(ms.decisions(), ms.image());
        }
    }

    private static boolean concernsMastership(Fact fact) {
        return switch (fact) {
            case Fact.ConfigObserved c -> true;
            case Fact.AgentUp u -> true;
            case Fact.AgentDown d -> true;
            case Fact.AgentDraining d -> true;
            case Fact.VipUnbound u -> true;
            // A Tick changes no mastership state and the image is a fixed point of Mastership.decide after every
            // step (its property test checks that), so a Tick never decides: skip the O(instances x agents) work.
            default -> false;
        };
    }

    /** Pools, instances or defaults may have changed: keep what fits, move what must, re-evaluate everyone. */
    private static void onConfig(Work w) {
        new IpamManager().reconcileConfig(w.ipam).records().forEach(w::emit);
        List<PlacementChange> changes = Placement.requiredChanges(w.placement);
        for (PlacementChange c : changes) {
            if (c instanceof PlacementChange.MoveVip m) {
                String to = w.placement.names().name(m.to());
                m.services().forEach(s -> w.emit(new Decision.ServicePlaced(s, to)));
            }
            // a Reseat is done by the re-evaluation below: the Service may no longer share a VIP off its pin
        }
        for (String service : w.observed.services().keySet()) {
            ServiceDecider.evaluate(w, service);
        }
        w.freed = true;
    }

    /** Serves the IPAM pending queue in arrival order, each on the image the grants before it left. */
    private static void retryPending(Work w) {
        for (String service : w.ipam.pendingInOrder()) {
            ServiceDecider.evaluate(w, service);
        }
    }
}
