package io.shardlb.planner.core;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.ipam.IpamDelta;
import io.shardlb.ipam.IpamImage;
import io.shardlb.planner.mastership.MastershipImage;
import io.shardlb.planner.placement.PlacementDelta;
import io.shardlb.planner.placement.PlacementImage;

import java.util.ArrayList;
import java.util.List;

/**
 * The images while one fact is being answered. Every decision goes through {@link #emit}, which records it and
 * folds it into the sub-images at once (commands generate records, only replay mutates), so the next decision is
 * taken on the state the previous ones made.
 */
final class Work {
    /** What a planner without a {@code ConfigObserved} assumes: one instance, no pools. */
    static final Fact.ConfigObserved NO_CONFIG = new Fact.ConfigObserved(List.<Pool>of(), List.<Pool>of(), false, 1,
            "", false, "", "", "", 30_000L, 5_000L, false);

    ObservedImage observed;
    IpamImage ipam;
    PlacementImage placement;
    MastershipImage mastership;
    ServiceBook book;
    final Provenance provenance;
    final List<Decision> out = new ArrayList<>();
    /** An address or ports were released: pending Services may fit now. */
    boolean freed;

    Work(PlannerImage image, Provenance provenance) {
        this.observed = image.observed();
        this.ipam = image.ipam();
        this.placement = image.placement();
        this.mastership = image.mastership();
        this.book = image.book();
        this.provenance = provenance;
    }

    Fact.ConfigObserved config() {
        return observed.config().orElse(NO_CONFIG);
    }

    /** Records {@code d} and folds it into IPAM, placement and the book. */
    void emit(Decision d) {
        out.add(d);
        if (concernsIpam(d)) {
            IpamDelta id = new IpamDelta(ipam);
            id.replay(d);
            ipam = id.apply();
        }
        if (concernsPlacement(d)) {
            PlacementDelta pd = new PlacementDelta(placement);
            pd.replay(d, provenance.logTime());
            placement = pd.apply();
        }
        ServiceBookDelta bd = book.delta();
        bd.replay(d);
        book = bd.apply();
        if (d instanceof Decision.VipReleased) {
            freed = true;
        }
    }

    /** Records mastership decisions already folded into {@code next} by the mastership decider. */
    void emitMastership(List<Decision> decisions, MastershipImage next) {
        out.addAll(decisions);
        mastership = next;
    }

    /**
     * The decisions IPAM's replay acts on (its {@code Rules.decision}); it passes over the rest unchanged, so
     * skipping them (most decisions are rules) spares a delta per decision.
     */
    private static boolean concernsIpam(Decision d) {
        return d instanceof Decision.VipAllocated || d instanceof Decision.VipReleased
                || d instanceof Decision.AllocationKept || d instanceof Decision.AllocationRejected
                || d instanceof Decision.ServiceRejected;
    }

    /**
     * Placement tracks one VIP per Service (the unit of placement): the first it was granted. The second family's
     * VIP of a dual-stack Service travels with it and is IPAM's alone.
     */
    private boolean concernsPlacement(Decision d) {
        return switch (d) {
            case Decision.VipAllocated a -> {
                String held = placement.vipOf().get(a.service());
                yield held == null || held.equals(a.ip());
            }
            case Decision.VipReleased r -> r.ip().equals(placement.vipOf().get(r.service()));
            case Decision.ServicePlaced p -> true;
            default -> false;
        };
    }

    PlannerImage image() {
        return new PlannerImage(observed, ipam, placement, mastership, book, provenance);
    }
}
