package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * IPAM's commands. They read an {@link IpamImage} and return the records that would make the change, with a
 * typed response; they never change anything themselves. The caller appends the records and folds them with
 * {@link IpamDelta#replay(Decision)}; only then does the image change.
 *
 * <p>The class is stateless and pure: the planner runs it live, in replay and in {@code replay --verify}.
 */
public final class IpamManager {
    private static final IpFamily[] FAMILIES = IpFamily.values();

    /**
     * Brings {@code service}'s addresses in line with {@code request}: keeps what still fits (a port change that
     * still fits rewrites its ports), releases what does not (another pool, another static address, a family no
     * longer asked for, ports that now overlap a co-holder), and allocates what is missing. Calling it again with
     * the same request on the resulting image returns {@code Granted} with no records.
     *
     * <p>Shared mode reuses the lowest VIP of the pool whose Services' ports are all disjoint from the request's
     * (and that {@link AllocationRequest#shareWith} allows), else the lowest free address; unique mode takes the
     * lowest free address. Families are granted together or not at all. A failure ({@code Exhausted},
     * {@code Conflict}) adds an {@code AllocationRejected} record that puts the Service in the pending queue
     * unless it already waits there (a changed request that rewrites ports queues it again, at the end); {@code Invalid} generates nothing and leaves the Service's addresses alone: the planner reports it.
     */
    public Result<Allocation> allocate(IpamImage image, String service, AllocationRequest request) {
        RequestResolver.Resolution resolution = RequestResolver.resolve(image.config.pools(), service, request);
        if (resolution instanceof RequestResolver.Rejected(Allocation.Invalid invalid)) {
            return new Result<>(List.of(), invalid);
        }
        RequestResolver.Resolved targets = (RequestResolver.Resolved) resolution;
        ServiceAddresses held = image.addressesOf(service);
        List<Decision> records = new ArrayList<>(4);
        Vip[] vips = new Vip[FAMILIES.length];
        // made on the first record: a Service that keeps what it holds (the common re-evaluation) needs none
        IpamDelta scratch = null;
        for (IpFamily f : FAMILIES) {
            IpAddress current = held.get(f);
            if (current == null) {
                continue;
            }
            InUse u = image.inUse(current);
            Target t = targets.get(f);
            if (t != null && fits(image, service, current, u, t, request)) {
                if (!u.holder(service).ports().equals(request.ports())) {
                    scratch = add(records, scratch, image, new Decision.VipAllocated(service, current.toString(),
                            u.pool(), request.ports().texts()));
                }
                vips[f.ordinal()] = new Vip(current.toString(), u.pool(), f, request.ports().texts());
            } else {
                scratch = add(records, scratch, image, new Decision.VipReleased(service, current.toString()));
            }
        }
        IpamImage work = scratch == null ? image : scratch.apply();
        int firstGrant = records.size();
        // families in enum order
        for (IpFamily f : FAMILIES) {
            Target t = targets.get(f);
            if (t == null || vips[f.ordinal()] != null) {
                continue;
            }
            AddressPicker.Pick pick = AddressPicker.pick(work, service, t, request);
            if (pick.failure() != null) {
                // families are granted together or not at all
                records.subList(firstGrant, records.size()).clear();
                // a port update above takes the Service out of the queue; it then queues again, at the end
                if (!work.isPending(service)) {
                    records.add(new Decision.AllocationRejected(service, pick.failure().reason()));
                }
                return new Result<>(records, pick.failure());
            }
            Decision.VipAllocated g = pick.granted();
            records.add(g);
            vips[f.ordinal()] = new Vip(g.ip(), g.pool(), f, g.ports());
        }
        List<Vip> granted = granted(vips);
        if (records.size() == firstGrant && !granted.isEmpty() && work.isPending(service)) {
            // granted by keeping what it holds (it asks for fewer families now): re-state one holding so that
            // replay takes the Service out of the pending queue
            Vip v = granted.getFirst();
            records.add(new Decision.VipAllocated(service, v.ip(), v.pool(), request.ports().texts()));
        }
        return new Result<>(records, new Allocation.Granted(service, granted));
    }

    private static List<Vip> granted(Vip[] vips) {
        if (vips[0] == null) {
            return vips[1] == null ? List.of() : List.of(vips[1]);
        }
        return vips[1] == null ? List.of(vips[0]) : List.of(vips[0], vips[1]);
    }

    private static boolean fits(IpamImage image, String service, IpAddress current, InUse u, Target t,
                                AllocationRequest request) {
        boolean placeOk = switch (t) {
            case Target.Static s -> s.ip().equals(current);
            case Target.FromPool p -> u.pool().equals(p.pool().name());
        };
        if (!placeOk) {
            return false;
        }
        if (u.holderCount() == 1) {
            // it holds the address alone: nobody's ports to overlap, nobody to be allowed to share with
            return true;
        }
        if (!request.shareWith().test(current.toString())) {
            return false;
        }
        for (Map.Entry<String, InUse.Holder> h : u.holders()) {
            if (!h.getKey().equals(service) && !request.ports().disjoint(h.getValue().ports())) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code d} to the records and folds it into the scratch delta (made on {@code image} if need be). */
    private static IpamDelta add(List<Decision> records, IpamDelta scratch, IpamImage image, Decision d) {
        IpamDelta delta = scratch == null ? new IpamDelta(image) : scratch;
        records.add(d);
        delta.replay(d);
        return delta;
    }

    /** Releases every address {@code service} holds; the response lists them. Nothing held: no records. */
    public Result<List<String>> release(IpamImage image, String service) {
        ServiceAddresses held = image.addressesOf(service);
        if (held.v4() == null || held.v6() == null) {
            // one address or none, the common cases: no lists to grow
            IpAddress a = held.v4() != null ? held.v4() : held.v6();
            if (a == null) {
                return new Result<>(List.of(), List.of());
            }
            String ip = a.toString();
            return new Result<>(List.of(new Decision.VipReleased(service, ip)), List.of(ip));
        }
        String v4 = held.v4().toString();
        String v6 = held.v6().toString();
        return new Result<>(List.of(new Decision.VipReleased(service, v4), new Decision.VipReleased(service, v6)),
                List.of(v4, v6));
    }

    /**
     * Retries the pending Services in arrival order, each on the image left by the grants before it, so the
     * earliest waiter gets a freed address first. Call it after an address frees (a release or a quarantine's end)
     * or the pools change. A Service {@code requestOf} no longer knows is skipped; one that still cannot be served
     * stays pending without a new record.
     *
     * @param requestOf the current request of a pending Service, empty when it has none
     */
    public Result<List<Allocation>> retryPending(IpamImage image,
                                                 Function<String, Optional<AllocationRequest>> requestOf) {
        List<Decision> records = new ArrayList<>();
        List<Allocation> answers = new ArrayList<>();
        IpamDelta delta = new IpamDelta(image);
        IpamImage current = image;
        for (String service : image.pendingInOrder()) {
            Optional<AllocationRequest> req = requestOf.apply(service);
            if (req.isEmpty()) {
                continue;
            }
            Result<Allocation> r = allocate(current, service, req.get());
            answers.add(r.response());
            if (!r.records().isEmpty()) {
                records.addAll(r.records());
                r.records().forEach(delta::replay);
                current = delta.apply();
            }
        }
        return new Result<>(records, answers);
    }

    /**
     * After the pools or the mode change (a restart with other flags): every allocation that no longer fits is
     * kept, never dropped or moved, and reported once with an {@code AllocationKept} record saying why. The
     * response lists the holdings reported. O(addresses in use); run once per {@code ConfigObserved}.
     */
    public Result<List<Holding>> reconcileConfig(IpamImage image) {
        List<Decision> records = new ArrayList<>();
        List<Holding> kept = new ArrayList<>();
        PoolConfig pools = image.config.pools();
        image.inUse.forEach((ip, u) -> {
            String misfit = misfit(pools, ip, u);
            u.holders().forEach((svc, h) -> {
                String why = misfit;
                if (why.isEmpty() && image.config.uniqueIp() && u.holderCount() > 1) {
                    why = ip + " is shared by " + u.holderCount() + " Services although setUniqueIP is on";
                }
                if (!why.isEmpty() && h.keptReason().isEmpty()) {
                    records.add(new Decision.AllocationKept(svc, ip.toString(), why));
                    kept.add(new Holding(svc, ip.toString(), u.pool(), ip.family(), h.ports().texts(), why));
                }
            });
        });
        return new Result<>(records, kept);
    }

    private static String misfit(PoolConfig pools, IpAddress ip, InUse u) {
        if (u.pool().isEmpty()) {
            return "";
        }
        Optional<IpPool> p = pools.pool(ip.family(), u.pool());
        if (p.isEmpty()) {
            return "pool " + u.pool() + " is no longer configured; " + ip + " is kept until released";
        }
        if (!p.get().contains(ip)) {
            return ip + " is no longer in pool " + p.get() + "; it is kept until released";
        }
        return "";
    }
}
