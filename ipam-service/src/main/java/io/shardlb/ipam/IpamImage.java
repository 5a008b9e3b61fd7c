package io.shardlb.ipam;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.collect.HashTrie;
import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The IPAM state, immutable (KRaft's {@code XImage}): the configuration, every address in use with its holders,
 * quarantined addresses, and the Services waiting for an address in arrival order. It changes only through
 * {@link IpamDelta}; {@link IpamManager} reads it to generate records.
 *
 * <p>All maps are persistent and shared with the image this one came from, so an image costs memory in proportion
 * to the addresses in use and each change O(log n). Equality covers configuration, clock, provenance, addresses,
 * quarantines and the pending queue (the derived indexes follow from those).
 */
public final class IpamImage {
    /** Nothing configured, nothing allocated. */
    public static final IpamImage EMPTY = new IpamImage(IpamConfig.EMPTY, Envelope.UNSET, Provenance.EMPTY,
            PersistentSortedMap.empty(), PersistentSortedMap.empty(), QuarantineQueue.EMPTY,
            PersistentSortedMap.empty(), HashTrie.empty(), PersistentSortedMap.empty(),
            HashTrie.empty(), 0);

    final IpamConfig config;
    final long now;
    final Provenance provenance;
    final PersistentSortedMap<IpAddress, InUse> inUse;
    final PersistentSortedMap<IpAddress, Quarantine> quarantine;
    final QuarantineQueue quarantineOrder;
    final PersistentSortedMap<IpAddress, IpAddress> runs;
    /** Service name to {@link ServiceAddresses#stored()}: the one address itself in the common case. */
    final HashTrie<String, Object> services;
    final PersistentSortedMap<Long, String> pendingBySeq;
    final HashTrie<String, Long> pendingSeq;
    final long nextPendingSeq;

    @SuppressWarnings("checkstyle:ParameterNumber")
    IpamImage(IpamConfig config, long now, Provenance provenance, PersistentSortedMap<IpAddress, InUse> inUse,
              PersistentSortedMap<IpAddress, Quarantine> quarantine,
              QuarantineQueue quarantineOrder,
              PersistentSortedMap<IpAddress, IpAddress> runs, HashTrie<String, Object> services,
              PersistentSortedMap<Long, String> pendingBySeq, HashTrie<String, Long> pendingSeq,
              long nextPendingSeq) {
        this.config = config;
        this.now = now;
        this.provenance = provenance;
        this.inUse = inUse;
        this.quarantine = quarantine;
        this.quarantineOrder = quarantineOrder;
        this.runs = runs;
        this.services = services;
        this.pendingBySeq = pendingBySeq;
        this.pendingSeq = pendingSeq;
        this.nextPendingSeq = nextPendingSeq;
    }

    /** The configuration of the last {@code ConfigObserved} replayed. */
    public IpamConfig config() {
        return config;
    }

    /** The IPAM clock: the log time of the latest fact replayed ({@link Envelope#UNSET} before any). */
    public long now() {
        return now;
    }

    /** The offset and log time of the last {@code events} record replayed through {@link IpamDelta#replay}. */
    public Provenance provenance() {
        return provenance;
    }

    /** Who holds {@code ip}, or until when it is quarantined; empty when the address is free or not an address. */
    public Optional<AddressInfo> address(String ip) {
        IpAddress a;
        try {
            a = IpAddress.parse(ip);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        InUse u = inUse.get(a);
        if (u != null) {
            return Optional.of(new AddressInfo(a.toString(), u.pool(), holdings(a, u), -1));
        }
        Quarantine q = quarantine.get(a);
        return q == null ? Optional.empty() : Optional.of(new AddressInfo(a.toString(), q.pool(), List.of(), q.until()));
    }

    /** What {@code service} holds: one entry per family, IPv4 first; empty when nothing. */
    public List<Holding> heldBy(String service) {
        ServiceAddresses s = addressesOf(service);
        if (s.isEmpty()) {
            return List.of();
        }
        List<Holding> out = new ArrayList<>(2);
        for (IpFamily f : IpFamily.values()) {
            IpAddress a = s.get(f);
            if (a != null) {
                InUse u = inUse.get(a);
                InUse.Holder h = u.holder(service);
                out.add(new Holding(service, a.toString(), u.pool(), f, h.ports().texts(), h.keptReason()));
            }
        }
        return out;
    }

    private static List<Holding> holdings(IpAddress a, InUse u) {
        List<Holding> out = new ArrayList<>(u.holderCount());
        u.holders().forEach((svc, h) -> out.add(new Holding(svc, a.toString(), u.pool(), a.family(),
                h.ports().texts(), h.keptReason())));
        return out;
    }

    /** Every address in use, in address order (for {@code get ip} and dumps; O(n)). */
    public List<AddressInfo> addressesInUse() {
        List<AddressInfo> out = new ArrayList<>(inUse.size());
        inUse.forEach((a, u) -> out.add(new AddressInfo(a.toString(), u.pool(), holdings(a, u), -1)));
        return out;
    }

    /** The number of addresses held by at least one Service. */
    public int inUseCount() {
        return inUse.size();
    }

    /** The number of addresses in quarantine. */
    public int quarantinedCount() {
        return quarantine.size();
    }

    /** Usage of every configured pool, IPv4 pools first, in flag order (O(pools · log n)). */
    public List<PoolUsage> usage() {
        List<PoolUsage> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            for (IpPool p : config.pools().pools(f)) {
                out.add(usage(p));
            }
        }
        return out;
    }

    /** Usage of one pool. */
    public PoolUsage usage(IpPool p) {
        long used = inUse.countInRange(p.first(), p.last());
        long held = quarantine.countInRange(p.first(), p.last());
        return new PoolUsage(p.family(), p.name(), p.text(), p.size(), used, held,
                p.size().subtract(java.math.BigInteger.valueOf(used + held)));
    }

    /** Services waiting for an address (exhausted pool or conflict), in arrival order. */
    public List<String> pendingInOrder() {
        List<String> out = new ArrayList<>(pendingBySeq.size());
        pendingBySeq.forEach((seq, svc) -> out.add(svc));
        return out;
    }

    /** Whether {@code service} waits for an address. */
    public boolean isPending(String service) {
        return pendingSeq.containsKey(service);
    }

    // --- for the manager (package-private) ---

    InUse inUse(IpAddress a) {
        return inUse.get(a);
    }

    Quarantine quarantined(IpAddress a) {
        return quarantine.get(a);
    }

    ServiceAddresses addressesOf(String service) {
        return ServiceAddresses.from(services.get(service));
    }

    IpAddress lowestFree(IpPool pool) {
        return Occupancy.lowestFree(runs, pool.first(), pool.last());
    }

    java.util.Iterator<Map.Entry<IpAddress, InUse>> inUseFrom(IpAddress first) {
        return inUse.iteratorFrom(first);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof IpamImage i && now == i.now && nextPendingSeq == i.nextPendingSeq
                && config.equals(i.config) && provenance.equals(i.provenance) && inUse.equals(i.inUse)
                && quarantine.equals(i.quarantine) && pendingBySeq.equals(i.pendingBySeq);
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, now, provenance, inUse, quarantine, pendingBySeq, nextPendingSeq);
    }

    @Override
    public String toString() {
        return "IpamImage{" + config + ", now=" + now + ", " + provenance + ", inUse=" + inUse + ", quarantine="
                + quarantine + ", pending=" + pendingBySeq + "}";
    }
}
