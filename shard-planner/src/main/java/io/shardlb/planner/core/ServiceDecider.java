package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.ipam.Allocation;
import io.shardlb.ipam.IpamManager;
import io.shardlb.ipam.Result;
import io.shardlb.ipam.Vip;
import io.shardlb.planner.placement.Placement;
import io.shardlb.planner.placement.VipSlot;
import io.shardlb.planner.settings.ServiceSettings;
import io.shardlb.planner.settings.ServiceSpec;
import io.shardlb.planner.settings.SettingsResult;

import java.util.List;
import java.util.OptionalInt;

/**
 * Brings one Service in line with what was observed of it: settings, address, placement, rule. Idempotent: on
 * an image that already reflects the Service it emits nothing, which is what makes "a fact that changes nothing
 * writes nothing" hold and lets a configuration change simply re-evaluate every Service.
 */
final class ServiceDecider {
    private static final IpamManager IPAM = new IpamManager();

    private ServiceDecider() {
    }

    static void evaluate(Work w, String service) {
        Fact.ServiceObserved svc = w.observed.service(service);
        if (svc == null) {
            teardown(w, service);
            return;
        }
        SettingsResult parsed = ServiceSettings.parse(svc, w.config());
        if (!parsed.warnings().equals(w.book.warningsOf(service))) {
            w.emit(new Decision.ServiceWarned(service, parsed.warnings()));
        }
        switch (parsed) {
            case SettingsResult.Rejected r -> reject(w, service, r.reasons());
            case SettingsResult.Accepted a -> accept(w, a.spec(), svc);
        }
    }

    private static void accept(Work w, ServiceSpec spec, Fact.ServiceObserved svc) {
        RequestBuilder.Built built = RequestBuilder.build(spec, svc, w.placement);
        if (built instanceof RequestBuilder.Problem(String reason)) {
            reject(w, spec.service(), List.of(reason));
            return;
        }
        Result<Allocation> result = IPAM.allocate(w.ipam, spec.service(),
                ((RequestBuilder.Request) built).request());
        if (result.response() instanceof Allocation.Invalid invalid) {
            reject(w, spec.service(), List.of(invalid.reason()));
            return;
        }
        result.records().forEach(w::emit);
        String primary = w.placement.vipOf().get(spec.service());
        if (primary == null && result.response() instanceof Allocation.Granted g && !g.vips().isEmpty()) {
            // it keeps only a VIP placement does not track (its first family went): restate it so placement does
            Vip v = g.vips().getFirst();
            w.emit(new Decision.VipAllocated(spec.service(), v.ip(), v.pool(), v.ports()));
            primary = v.ip();
        }
        if (primary == null) {
            // waiting for an address (pending in IPAM): no rule until it has one
            removeRule(w, spec.service());
            return;
        }
        String instance = place(w, spec, primary);
        Decision.RuleSet rule = RuleBuilder.rule(spec, primary, instance,
                w.observed.endpointsOf(spec.service()));
        if (!rule.equals(w.book.ruleOf(spec.service()))) {
            w.emit(rule);
        }
    }

    /** Places the Service's VIP (new: its pin or the least loaded instance; pinned and alone: its pin). */
    private static String place(Work w, ServiceSpec spec, String vip) {
        VipSlot slot = w.placement.slot(vip);
        int target;
        if (!slot.placed()) {
            target = Placement.instanceForNewVip(w.placement,
                    spec.pinned() ? OptionalInt.of(spec.pinIndex()) : OptionalInt.empty());
        } else if (spec.pinned() && slot.services().size() == 1 && slot.instance() != spec.pinIndex()) {
            target = spec.pinIndex();
        } else {
            target = slot.instance();
        }
        String name = w.placement.names().name(target);
        if (!slot.placed() || target != slot.instance() || !name.equals(w.book.placedOf(spec.service()))) {
            w.emit(new Decision.ServicePlaced(spec.service(), name));
        }
        return name;
    }

    private static void reject(Work w, String service, List<String> reasons) {
        if (!reasons.equals(w.book.rejectionOf(service))) {
            w.emit(new Decision.ServiceRejected(service, reasons));
        }
        teardown(w, service);
    }

    /** Releases every address of the Service and removes its rule. */
    static void teardown(Work w, String service) {
        IPAM.release(w.ipam, service).records().forEach(w::emit);
        removeRule(w, service);
    }

    private static void removeRule(Work w, String service) {
        if (w.book.ruleOf(service) != null) {
            w.emit(new Decision.RuleRemoved(service));
        }
    }
}
