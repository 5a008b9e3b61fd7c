package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;
import io.shardlb.ipam.IpamDelta.RuleViolation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The replay rules for IPAM decisions: each either applies to the delta or throws a {@link RuleViolation}. */
final class Rules {
    /** The last port list parsed and its set: a run of records for one request carries the same list. */
    private List<String> lastPortTexts;
    private PortSet lastPorts;

    void decision(IpamDelta d, Decision decision) {
        switch (decision) {
            case Decision.VipAllocated a -> allocated(d, a);
            case Decision.VipReleased r -> released(d, r);
            case Decision.AllocationKept k -> kept(d, k);
            case Decision.AllocationRejected r -> d.addPending(r.service());
            case Decision.ServiceRejected r -> d.dropPending(r.service());
            default -> {
                // placement, mastership and rules are not IPAM's
            }
        }
    }

    private static IpAddress address(String text) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(e.getMessage());
        }
    }

    private PortSet ports(Decision.VipAllocated a) {
        if (a.ports() == lastPortTexts) {
            return lastPorts;
        }
        try {
            lastPorts = PortSet.parse(a.ports());
            lastPortTexts = a.ports();
            return lastPorts;
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(e.getMessage());
        }
    }

    private void allocated(IpamDelta d, Decision.VipAllocated a) {
        IpAddress ip = address(a.ip());
        PortSet ports = ports(a);
        String svc = a.service();
        IpFamily family = ip.family();
        ServiceAddresses held = ServiceAddresses.from(d.services.get(svc));
        IpAddress current = held.get(family);
        InUse u = d.inUse.get(ip);
        if (current != null && !current.equals(ip)) {
            throw new RuleViolation(svc + " already holds " + current + "; it must be released first");
        }
        if (current != null) {
            // the same Service and address again: its ports change
            if (!u.pool().equals(a.pool())) {
                throw new RuleViolation(ip + " was allocated from pool \"" + u.pool() + "\", not \"" + a.pool() + "\"");
            }
            checkPorts(d, ip, u, svc, ports);
            InUse.Holder old = u.holder(svc);
            d.inUse = d.inUse.put(ip, u.with(svc, new InUse.Holder(ports, old.keptReason())));
            d.dropPending(svc);
            return;
        }
        checkPool(d, ip, a.pool());
        Quarantine q = d.quarantine.get(ip);
        if (q != null) {
            throw new RuleViolation(ip + " is quarantined until log time " + q.until() + " (now " + d.now + ")");
        }
        if (u == null) {
            d.inUse = d.inUse.put(ip, InUse.of(a.pool(), svc, new InUse.Holder(ports, "")));
            d.runs = Occupancy.occupy(d.runs, ip);
        } else {
            if (d.config.uniqueIp()) {
                throw new RuleViolation("double allocation: " + ip + " is held by " + holders(u)
                        + " and setUniqueIP is on");
            }
            if (!u.pool().equals(a.pool())) {
                throw new RuleViolation(ip + " was allocated from pool \"" + u.pool() + "\", not \"" + a.pool() + "\"");
            }
            checkPorts(d, ip, u, svc, ports);
            d.inUse = d.inUse.put(ip, u.with(svc, new InUse.Holder(ports, "")));
        }
        d.services = d.services.put(svc, held.with(family, ip).stored());
        d.dropPending(svc);
    }

    private static void checkPool(IpamDelta d, IpAddress ip, String pool) {
        PoolConfig pools = d.config.pools();
        Optional<IpPool> containing = pools.containing(ip);
        if (pool.isEmpty()) {
            if (containing.isPresent()) {
                throw new RuleViolation(ip + " lies in pool " + containing.get() + " but was recorded as outside"
                        + " every pool");
            }
            return;
        }
        IpPool p = pools.pool(ip.family(), pool).orElseThrow(() -> new RuleViolation("unknown "
                + ip.family().kubeName() + " pool \"" + pool + "\" (pools: " + pools.names(ip.family()) + ")"));
        if (!p.contains(ip)) {
            throw new RuleViolation(ip + " lies outside its pool " + p);
        }
    }

    private static void checkPorts(IpamDelta d, IpAddress ip, InUse u, String svc, PortSet ports) {
        for (Map.Entry<String, InUse.Holder> h : u.holders()) {
            if (h.getKey().equals(svc)) {
                continue;
            }
            if (d.config.uniqueIp()) {
                throw new RuleViolation("double allocation: " + ip + " is held by " + h.getKey()
                        + " and setUniqueIP is on");
            }
            if (!ports.disjoint(h.getValue().ports())) {
                throw new RuleViolation("ports " + ports + " overlap " + h.getValue().ports() + " of "
                        + h.getKey() + " on shared " + ip);
            }
        }
    }

    private static String holders(InUse u) {
        StringBuilder sb = new StringBuilder();
        u.holders().forEach((s, h) -> sb.append(sb.isEmpty() ? "" : ", ").append(s));
        return sb.toString();
    }

    private void released(IpamDelta d, Decision.VipReleased r) {
        IpAddress ip = address(r.ip());
        InUse u = d.inUse.get(ip);
        if (u == null) {
            throw new RuleViolation("release of a free address " + ip
                    + (d.quarantine.containsKey(ip) ? " (already released, in quarantine)" : ""));
        }
        String svc = r.service();
        if (!u.isHeldBy(svc)) {
            throw new RuleViolation(ip + " is not held by " + svc + " (holders: " + holders(u) + ")");
        }
        ServiceAddresses held = ServiceAddresses.from(d.services.get(svc)).with(ip.family(), null);
        d.services = held.isEmpty() ? d.services.remove(svc) : d.services.put(svc, held.stored());
        InUse rest = u.without(svc);
        if (rest != null) {
            d.inUse = d.inUse.put(ip, rest);
            return;
        }
        d.inUse = d.inUse.remove(ip);
        long until = d.now + d.config.quarantineMs();
        if (d.config.quarantineMs() == 0) {
            d.runs = Occupancy.vacate(d.runs, ip);
        } else {
            d.quarantine = d.quarantine.put(ip, new Quarantine(u.pool(), until));
            d.quarantineOrder = d.quarantineOrder.add(until, ip);
        }
    }

    private void kept(IpamDelta d, Decision.AllocationKept k) {
        IpAddress ip = address(k.ip());
        InUse u = d.inUse.get(ip);
        InUse.Holder h = u == null ? null : u.holder(k.service());
        if (h == null) {
            throw new RuleViolation(ip + " is not held by " + k.service() + "; nothing to keep");
        }
        d.inUse = d.inUse.put(ip, u.with(k.service(), new InUse.Holder(h.ports(), k.reason())));
    }
}
