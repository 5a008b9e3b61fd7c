package io.shardlb.ipam;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a Service asks of IPAM, already parsed from its spec and annotations by the planner.
 *
 * @param ports     its port/protocol pairs; one VIP per family carries all of them
 * @param families  v4, v6 or both ({@code loxilb.io/ipam}, {@code spec.ipFamilies}, {@code ipFamilyPolicy};
 *                  see {@link FamilyChoice})
 * @param pool      the pool asked for ({@code loxilb.io/poolSelect}, alias {@code shardlb.io/pool}); "" for the
 *                  family's default pool
 * @param staticIps static addresses ({@code loxilb.io/staticIP}, alias {@code shardlb.io/ip}, or
 *                  {@code spec.loadBalancerIP}), at most one per family; empty for none
 * @param shareWith which VIPs already in use this Service may share in shared mode (the VIP's text form); a pinned
 *                  Service shares only VIPs on its instance. A fresh address is always allowed.
 */
public record AllocationRequest(PortSet ports, Set<IpFamily> families, String pool, List<String> staticIps,
                                Predicate<String> shareWith) {

    public AllocationRequest {
        families = families.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(families));
        pool = pool == null ? "" : pool;
        staticIps = staticIps == null ? List.of() : List.copyOf(staticIps);
        shareWith = shareWith == null ? vip -> true : shareWith;
    }

    /** IPv4 from the default pool, no static address, sharing with any VIP. */
    public static AllocationRequest of(PortSet ports) {
        return new AllocationRequest(ports, Set.of(IpFamily.V4), "", List.of(), null);
    }

    /** The same request for other families. */
    public AllocationRequest withFamilies(Set<IpFamily> f) {
        return new AllocationRequest(ports, f, pool, staticIps, shareWith);
    }

    /** The same request from the named pool. */
    public AllocationRequest inPool(String name) {
        return new AllocationRequest(ports, families, name, staticIps, shareWith);
    }

    /** The same request for static addresses (none when empty). */
    public AllocationRequest withStatic(List<String> ips) {
        return new AllocationRequest(ports, families, pool, ips, shareWith);
    }

    /** The same request with other ports. */
    public AllocationRequest withPorts(PortSet p) {
        return new AllocationRequest(p, families, pool, staticIps, shareWith);
    }

    /** The same request sharing only VIPs {@code allowed} accepts. */
    public AllocationRequest sharingOnlyWith(Predicate<String> allowed) {
        return new AllocationRequest(ports, families, pool, staticIps, allowed);
    }
}
