package io.shardlb.ipam;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.collect.HashTrie;
import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The IPAM image as plain data, for the {@code snapshots} topic: restart replays snapshot + tail. Written with the
 * schema's mapper ({@link RecordCodec#toJson}); {@link #toImage()} rebuilds an image equal to the one written.
 *
 * @param version        the snapshot format version ({@link #VERSION})
 * @param pools          IPv4 pools as configured
 * @param cidr6Pools     IPv6 pools as configured
 * @param uniqueIp       the mode
 * @param quarantineMs   the quarantine
 * @param now            the IPAM clock
 * @param offset         provenance offset
 * @param logTime        provenance log time
 * @param inUse          every address in use
 * @param quarantined    every address in quarantine
 * @param pending        the pending queue, in order
 * @param nextPendingSeq the next arrival number
 */
public record IpamSnapshot(int version, List<Pool> pools, List<Pool> cidr6Pools, boolean uniqueIp,
                           long quarantineMs, long now, long offset, long logTime, List<Address> inUse,
                           List<Released> quarantined, List<Waiting> pending, long nextPendingSeq) {
    /** The format this code writes and reads. */
    public static final int VERSION = 1;

    /** An address in use and its holders. */
    public record Address(String ip, String pool, List<Holder> holders) {
    }

    /** One holder of an address. */
    public record Holder(String service, List<String> ports, String keptReason) {
    }

    /** A quarantined address. */
    public record Released(String ip, String pool, long until) {
    }

    /** A pending Service and its arrival number. */
    public record Waiting(String service, long seq) {
    }

    /** The image as data. */
    public static IpamSnapshot of(IpamImage image) {
        List<Address> used = new ArrayList<>(image.inUse.size());
        image.inUse.forEach((ip, u) -> {
            List<Holder> hs = new ArrayList<>(u.holderCount());
            u.holders().forEach((svc, h) -> hs.add(new Holder(svc, h.ports().texts(), h.keptReason())));
            used.add(new Address(ip.toString(), u.pool(), hs));
        });
        List<Released> released = new ArrayList<>(image.quarantine.size());
        image.quarantine.forEach((ip, q) -> released.add(new Released(ip.toString(), q.pool(), q.until())));
        List<Waiting> waiting = new ArrayList<>();
        image.pendingBySeq.forEach((seq, svc) -> waiting.add(new Waiting(svc, seq)));
        PoolConfig pc = image.config.pools();
        return new IpamSnapshot(VERSION, pc.toPools(IpFamily.V4), pc.toPools(IpFamily.V6), image.config.uniqueIp(),
                image.config.quarantineMs(), image.now, image.provenance.offset(), image.provenance.logTime(), used,
                released, waiting, image.nextPendingSeq);
    }

    /** Serializes an image. */
    public static byte[] toBytes(IpamImage image) {
        return RecordCodec.toJson(of(image));
    }

    /**
     * Restores an image serialized by {@link #toBytes}.
     *
     * @throws IllegalArgumentException for another format version or inconsistent content
     */
    public static IpamImage fromBytes(byte[] bytes) {
        return RecordCodec.fromJson(bytes, IpamSnapshot.class).toImage();
    }

    /** Rebuilds the image, with its derived indexes. */
    public IpamImage toImage() {
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported IPAM snapshot version " + version + " (this code reads "
                    + VERSION + ")");
        }
        IpamConfig config = new IpamConfig(PoolConfig.of(pools, cidr6Pools), uniqueIp, quarantineMs);
        PersistentSortedMap<IpAddress, InUse> used = PersistentSortedMap.empty();
        PersistentSortedMap<IpAddress, IpAddress> runs = PersistentSortedMap.empty();
        HashTrie<String, Object> services = HashTrie.empty();
        for (Address a : inUse) {
            IpAddress ip = IpAddress.parse(a.ip());
            PersistentSortedMap<String, InUse.Holder> hs = PersistentSortedMap.empty();
            for (Holder h : a.holders()) {
                hs = hs.put(h.service(), new InUse.Holder(PortSet.parse(h.ports()), h.keptReason()));
                ServiceAddresses s = ServiceAddresses.from(services.get(h.service()));
                services = services.put(h.service(), s.with(ip.family(), ip).stored());
            }
            used = used.put(ip, InUse.of(a.pool(), hs));
            runs = Occupancy.occupy(runs, ip);
        }
        PersistentSortedMap<IpAddress, Quarantine> q = PersistentSortedMap.empty();
        QuarantineQueue order = QuarantineQueue.EMPTY;
        for (Released r : quarantined) {
            IpAddress ip = IpAddress.parse(r.ip());
            q = q.put(ip, new Quarantine(r.pool(), r.until()));
            order = order.add(r.until(), ip);
            runs = Occupancy.occupy(runs, ip);
        }
        PersistentSortedMap<Long, String> bySeq = PersistentSortedMap.empty();
        HashTrie<String, Long> seqOf = HashTrie.empty();
        for (Waiting w : pending) {
            bySeq = bySeq.put(w.seq(), w.service());
            seqOf = seqOf.put(w.service(), w.seq());
        }
        return new IpamImage(config, now, new Provenance(offset, logTime), used, q, order, runs, services, bySeq,
                seqOf, nextPendingSeq);
    }
}
