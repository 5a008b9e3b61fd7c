package io.shardlb.ipam;

import java.util.Optional;

/** Checks a request against the pools and says, per family, where its address must come from. */
final class RequestResolver {
    private RequestResolver() {
    }

    /** The targets per family, or an {@link Allocation.Invalid} naming what is wrong. */
    sealed interface Resolution {
    }

    /** Where each family's address comes from; null for a family not asked for (at least one is not null). */
    record Resolved(Target v4, Target v6) implements Resolution {
        Target get(IpFamily f) {
            return f == IpFamily.V4 ? v4 : v6;
        }
    }

    record Rejected(Allocation.Invalid invalid) implements Resolution {
    }

    static Resolution resolve(PoolConfig pools, String service, AllocationRequest req) {
        if (req.families().isEmpty()) {
            return invalid(service, "no address family requested");
        }
        // indexed by IpFamily.ordinal(); no map per request, allocation is the hot path
        Target[] targets = new Target[2];
        for (String s : req.staticIps()) {
            IpAddress ip;
            try {
                ip = IpAddress.parse(s.trim());
            } catch (IllegalArgumentException e) {
                return invalid(service, "static address \"" + s + "\" is not an IP address");
            }
            if (!req.families().contains(ip.family())) {
                return invalid(service, "static address " + s + " is " + ip.family().kubeName()
                        + " but the Service asks for " + req.families().stream().map(IpFamily::kubeName).toList());
            }
            if (targets[ip.family().ordinal()] != null) {
                return invalid(service, "two static " + ip.family().kubeName() + " addresses: " + req.staticIps());
            }
            targets[ip.family().ordinal()] = new Target.Static(ip, pools.containing(ip).orElse(null));
        }
        for (IpFamily f : req.families()) {
            if (targets[f.ordinal()] != null) {
                continue;
            }
            Optional<IpPool> pool = req.pool().isEmpty() ? pools.defaultPool(f) : pools.pool(f, req.pool());
            if (pool.isEmpty()) {
                return invalid(service, req.pool().isEmpty()
                        ? "no " + f.kubeName() + " pool is configured (" + f.flag() + ")"
                        : "unknown pool \"" + req.pool() + "\" (" + f.kubeName() + " pools: " + pools.names(f) + ")");
            }
            targets[f.ordinal()] = new Target.FromPool(pool.get());
        }
        return new Resolved(targets[IpFamily.V4.ordinal()], targets[IpFamily.V6.ordinal()]);
    }

    private static Rejected invalid(String service, String reason) {
        return new Rejected(new Allocation.Invalid(service, reason));
    }
}
