package io.shardlb.bridge.out;

import java.util.ArrayList;
import java.util.List;

/**
 * What the plan says about one Service.
 *
 * @param service             {@code namespace/name}
 * @param vips                the addresses it holds, in allocation order
 * @param formerVips          addresses it held and released (to clean our ingress off a Service no longer ours)
 * @param instance            the instance it sits on ("" when not placed)
 * @param rejections          why its settings were rejected (empty when accepted)
 * @param allocationRejection why no address could be allocated ("" when none failed)
 * @param warnings            the last warnings about it
 * @param notices             the latest Event-worthy changes, oldest first (bounded)
 */
public record ServicePlan(String service, List<String> vips, List<String> formerVips, String instance,
                          List<String> rejections, String allocationRejection, List<String> warnings,
                          List<Notice> notices) {
    /** How many notices a Service keeps; older ones have long been turned into Events. */
    public static final int MAX_NOTICES = 32;

    public ServicePlan {
        vips = List.copyOf(vips);
        formerVips = List.copyOf(formerVips);
        rejections = List.copyOf(rejections);
        warnings = List.copyOf(warnings);
        notices = List.copyOf(notices);
    }

    /** Nothing known yet. */
    public static ServicePlan empty(String service) {
        return new ServicePlan(service, List.of(), List.of(), "", List.of(), "", List.of(), List.of());
    }

    ServicePlan withVips(List<String> v, List<String> former) {
        return new ServicePlan(service, v, former, instance, rejections, allocationRejection, warnings, notices);
    }

    ServicePlan withInstance(String i) {
        return new ServicePlan(service, vips, formerVips, i, rejections, allocationRejection, warnings, notices);
    }

    ServicePlan withRejections(List<String> r) {
        return new ServicePlan(service, vips, formerVips, instance, r, allocationRejection, warnings, notices);
    }

    ServicePlan withAllocationRejection(String r) {
        return new ServicePlan(service, vips, formerVips, instance, rejections, r, warnings, notices);
    }

    ServicePlan withWarnings(List<String> w) {
        return new ServicePlan(service, vips, formerVips, instance, rejections, allocationRejection, w, notices);
    }

    ServicePlan notice(Notice n) {
        List<Notice> next = new ArrayList<>(notices);
        next.add(n);
        if (next.size() > MAX_NOTICES) {
            next = next.subList(next.size() - MAX_NOTICES, next.size());
        }
        return new ServicePlan(service, vips, formerVips, instance, rejections, allocationRejection, warnings,
                next);
    }
}
