package io.shardlb.bridge.out;

import io.shardlb.bridge.Keys;
import io.shardlb.events.image.Delta;
import io.shardlb.events.image.Provenance;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Payload;
import org.pcollections.PSortedMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folds plan decisions into a {@link ServiceStatusImage}. The bridge only reports the plan, it does not judge
 * it, so no decision is refused here (the planner's own replay checks invariants). Decisions that do not change
 * what a Service shows ({@code RuleSet}, {@code RuleRemoved}, {@code InstanceHandover}) only advance the
 * provenance.
 *
 * <p>Event reasons follow a convention with the planner: a rejection or warning that starts with an input
 * annotation key ({@code loxilb.io/…}, {@code shardlb.io/…}, {@code status.shardlb.io/…}) is an
 * {@code InvalidAnnotation}; an allocation rejection that says "exhausted" is {@code PoolExhausted}; anything
 * else is {@code Rejected}.
 */
public final class ServiceStatusDelta implements Delta<ServiceStatusImage> {
    private final ServiceStatusImage base;
    private PSortedMap<String, ServicePlan> services;
    private PSortedMap<String, InstanceTerm> instances;
    private Provenance provenance;

    ServiceStatusDelta(ServiceStatusImage base) {
        this.base = base;
        this.services = base.services();
        this.instances = base.instances();
        this.provenance = base.provenance();
    }

    @Override
    public void replay(LogEntry entry) {
        replay(entry.envelope().payload(), entry.offset());
        provenance = new Provenance(entry.offset(), entry.logTime());
    }

    /** Folds one decision in; {@code seq} orders its notices (the plan offset when read from the log). */
    public void replay(Payload payload, long seq) {
        switch (payload) {
            case Decision.VipAllocated d -> allocated(d, seq);
            case Decision.AllocationKept d -> {
                ServicePlan p = plan(d.service());
                if (!p.vips().contains(d.ip())) {
                    services = services.plus(d.service(), p.withVips(plus(p.vips(), d.ip()), p.formerVips()));
                }
            }
            case Decision.VipReleased d -> {
                ServicePlan p = plan(d.service());
                List<String> vips = new ArrayList<>(p.vips());
                vips.remove(d.ip());
                services = services.plus(d.service(), p.withVips(vips, plus(p.formerVips(), d.ip())));
            }
            case Decision.AllocationRejected d -> put(plan(d.service()).withAllocationRejection(d.reason())
                    .notice(new Notice(seq, true, allocationReason(d.reason()), d.reason())));
            case Decision.ServiceRejected d -> rejected(d, seq);
            case Decision.ServiceWarned d -> {
                ServicePlan p = plan(d.service()).withWarnings(d.warnings());
                for (String w : d.warnings()) {
                    p = p.notice(new Notice(seq, true, namesAnnotation(w) ? "InvalidAnnotation" : "Warning", w));
                }
                put(p);
            }
            case Decision.ServicePlaced d -> placed(d, seq);
            case Decision.InstanceMastered d -> mastered(d, seq);
            case Decision.InstanceHandover d -> {
                // the move completes with an InstanceMastered, which is what the Service shows
            }
            case Decision.RuleSet d -> {
                // the datapath's business; VIP and instance come from their own decisions
            }
            case Decision.RuleRemoved d -> {
                // likewise
            }
            default -> {
                // not a decision (facts, beats, snapshot chunks never reach this image)
            }
        }
    }

    private void allocated(Decision.VipAllocated d, long seq) {
        ServicePlan p = plan(d.service());
        List<String> former = new ArrayList<>(p.formerVips());
        former.remove(d.ip());
        String from = d.pool().isEmpty() ? " (static, outside every pool)" : " from pool " + d.pool();
        put(p.withVips(plus(p.vips(), d.ip()), former).withAllocationRejection("").withRejections(List.of())
                .notice(new Notice(seq, false, "VIPAllocated", "allocated " + d.ip() + from)));
    }

    private void rejected(Decision.ServiceRejected d, long seq) {
        ServicePlan p = plan(d.service()).withRejections(d.reasons());
        for (String r : d.reasons()) {
            p = p.notice(new Notice(seq, true, namesAnnotation(r) ? "InvalidAnnotation" : "Rejected", r));
        }
        put(p);
    }

    private void placed(Decision.ServicePlaced d, long seq) {
        InstanceTerm t = instances.get(d.instance());
        String master = t == null || t.master() == null ? "" : ", master " + t.master().agent();
        put(plan(d.service()).withInstance(d.instance())
                .notice(new Notice(seq, false, "Placed", "placed on " + d.instance() + master)));
    }

    private void mastered(Decision.InstanceMastered d, long seq) {
        InstanceTerm before = instances.get(d.instance());
        instances = instances.plus(d.instance(), new InstanceTerm(d.instance(), d.master(), d.term(), d.cause()));
        if (before != null && before.masterName().equals(d.master() == null ? "" : d.master().agent())) {
            return; // a new term with the same master (a new incarnation) changes nothing the user sees
        }
        String now = d.instance() + (d.master() == null ? " has no master" : " now on " + d.master().agent())
                + ", term " + d.term();
        String message = d.cause().isEmpty() ? now : d.cause() + "; " + now;
        for (Map.Entry<String, ServicePlan> e : services.entrySet()) {
            if (e.getValue().instance().equals(d.instance())) {
                services = services.plus(e.getKey(), e.getValue()
                        .notice(new Notice(seq, d.master() == null, "MasterChanged", message)));
            }
        }
    }

    private ServicePlan plan(String service) {
        ServicePlan p = services.get(service);
        return p == null ? ServicePlan.empty(service) : p;
    }

    private void put(ServicePlan p) {
        services = services.plus(p.service(), p);
    }

    private static List<String> plus(List<String> list, String item) {
        if (list.contains(item)) {
            return list;
        }
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    static boolean namesAnnotation(String reason) {
        if (reason.startsWith(Keys.OUTPUT_PREFIX)) {
            return true;
        }
        return Keys.INPUT_PREFIXES.stream().anyMatch(reason::startsWith);
    }

    static String allocationReason(String reason) {
        return reason.toLowerCase(java.util.Locale.ROOT).contains("exhausted") ? "PoolExhausted" : "Rejected";
    }

    @Override
    public ServiceStatusImage apply() {
        if (services == base.services() && instances == base.instances() && provenance.equals(base.provenance())) {
            return base;
        }
        return new ServiceStatusImage(services, instances, provenance);
    }
}
