package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Chooses one family's address for a request on an image, or says why there is none. */
final class AddressPicker {
    private AddressPicker() {
    }

    /** Either the record granting the address, or the failure. */
    record Pick(Decision.VipAllocated granted, Allocation failure) {
    }

    static Pick pick(IpamImage image, String service, Target target, AllocationRequest req) {
        return switch (target) {
            case Target.Static s -> pickStatic(image, service, s, req);
            case Target.FromPool p -> pickFromPool(image, service, p.pool(), req);
        };
    }

    private static Pick pickStatic(IpamImage image, String service, Target.Static s, AllocationRequest req) {
        IpAddress ip = s.ip();
        Quarantine q = image.quarantined(ip);
        if (q != null) {
            return fail(new Allocation.Conflict(service, ip.toString(), List.of(), "static address " + ip
                    + " was released and is quarantined until log time " + q.until()));
        }
        InUse u = image.inUse(ip);
        if (u == null) {
            return grant(service, ip, s.poolName(), req);
        }
        List<String> holders = new ArrayList<>();
        u.holders().forEach((svc, h) -> holders.add(svc));
        if (image.config.uniqueIp()) {
            return fail(new Allocation.Conflict(service, ip.toString(), holders, "static address " + ip
                    + " is held by " + String.join(", ", holders) + " and setUniqueIP is on"));
        }
        if (!req.shareWith().test(ip.toString())) {
            return fail(new Allocation.Conflict(service, ip.toString(), holders, "static address " + ip
                    + " is shared by " + String.join(", ", holders) + ", which this Service may not share with"));
        }
        for (Map.Entry<String, InUse.Holder> h : u.holders()) {
            if (!req.ports().disjoint(h.getValue().ports())) {
                return fail(new Allocation.Conflict(service, ip.toString(), holders, "ports " + req.ports()
                        + " on static address " + ip + " overlap ports " + h.getValue().ports() + " of "
                        + h.getKey()));
            }
        }
        return grant(service, ip, u.pool(), req);
    }

    private static Pick pickFromPool(IpamImage image, String service, IpPool pool, AllocationRequest req) {
        if (!image.config.uniqueIp()) {
            IpAddress shared = lowestShareable(image, pool, req);
            if (shared != null) {
                return grant(service, shared, pool.name(), req);
            }
        }
        IpAddress ip = image.lowestFree(pool);
        if (ip != null) {
            return grant(service, ip, pool.name(), req);
        }
        PoolUsage use = image.usage(pool);
        return fail(new Allocation.Exhausted(service, pool.family(), pool.name(), pool.size(), "pool " + pool.name()
                + " (" + pool.text() + ") is exhausted: all " + pool.size() + " addresses are taken (" + use.inUse()
                + " in use, " + use.quarantined() + " quarantined)"));
    }

    /**
     * The lowest VIP of the pool whose holders' ports are all disjoint from the request's. This walks the VIPs in
     * use in the pool in order, so it costs O(k log n) for the k VIPs it has to skip.
     */
    private static IpAddress lowestShareable(IpamImage image, IpPool pool, AllocationRequest req) {
        for (Iterator<Map.Entry<IpAddress, InUse>> it = image.inUseFrom(pool.first()); it.hasNext(); ) {
            Map.Entry<IpAddress, InUse> e = it.next();
            if (e.getKey().compareTo(pool.last()) > 0) {
                return null;
            }
            InUse u = e.getValue();
            if (u.pool().equals(pool.name()) && disjointFromAll(u, req.ports())
                    && req.shareWith().test(e.getKey().toString())) {
                return e.getKey();
            }
        }
        return null;
    }

    private static boolean disjointFromAll(InUse u, PortSet ports) {
        for (Map.Entry<String, InUse.Holder> h : u.holders()) {
            if (!ports.disjoint(h.getValue().ports())) {
                return false;
            }
        }
        return true;
    }

    private static Pick grant(String service, IpAddress ip, String pool, AllocationRequest req) {
        return new Pick(new Decision.VipAllocated(service, ip.toString(), pool, req.ports().texts()), null);
    }

    private static Pick fail(Allocation failure) {
        return new Pick(null, failure);
    }
}
