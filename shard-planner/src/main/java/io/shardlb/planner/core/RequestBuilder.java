package io.shardlb.planner.core;

import io.shardlb.events.schema.Fact;
import io.shardlb.ipam.AllocationRequest;
import io.shardlb.ipam.FamilyChoice;
import io.shardlb.ipam.PortSet;
import io.shardlb.planner.placement.PlacementImage;
import io.shardlb.planner.placement.VipSlot;
import io.shardlb.planner.settings.Annotations;
import io.shardlb.planner.settings.ServiceSpec;

import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a validated {@link ServiceSpec} into what it asks of IPAM. Which VIPs it may share (shared mode) follows
 * placement, the unit of which is the VIP: a pinned Service shares only VIPs on its instance; any Service shares
 * only VIPs placement tracks (never the second family's VIP of a dual-stack Service); a dual-stack Service shares
 * nothing, so its two VIPs can never straddle two instances.
 */
final class RequestBuilder {
    private RequestBuilder() {
    }

    /** The request, or the problem with the Service's families (named after the field and value). */
    sealed interface Built {
    }

    /** A request IPAM can serve. */
    record Request(AllocationRequest request) implements Built {
    }

    /** The families cannot be resolved. */
    record Problem(String reason) implements Built {
    }

    static Built build(ServiceSpec spec, Fact.ServiceObserved svc, PlacementImage placement) {
        FamilyChoice families = FamilyChoice.resolve(familyAnnotation(spec, svc), spec.ipFamilies(),
                spec.ipFamilyPolicy());
        if (!families.ok()) {
            return new Problem(families.problem());
        }
        Predicate<String> share;
        if (families.families().size() > 1) {
            share = vip -> false;
        } else if (spec.pinned()) {
            int pin = spec.pinIndex();
            share = vip -> {
                VipSlot s = placement.slot(vip);
                return s != null && s.instance() == pin;
            };
        } else {
            share = vip -> placement.slot(vip) != null;
        }
        List<String> statics = spec.requestedIp().isEmpty() ? List.of() : List.of(spec.requestedIp());
        return new Request(new AllocationRequest(PortSet.ofServicePorts(spec.ports()), families.families(),
                spec.pool(), statics, share));
    }

    /** {@code loxilb.io/ipam} as parsed, or the family of a requested address; "" to let the spec decide. */
    private static String familyAnnotation(ServiceSpec spec, Fact.ServiceObserved svc) {
        boolean annotated = svc.annotations().containsKey(Annotations.IPAM.loxilb())
                || svc.annotations().containsKey(Annotations.IPAM.alias());
        return annotated || !spec.requestedIp().isEmpty() ? spec.family().wire() : "";
    }
}
