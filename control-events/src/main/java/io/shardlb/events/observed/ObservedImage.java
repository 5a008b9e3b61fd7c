package io.shardlb.events.observed;

import io.shardlb.events.collect.HashTrie;
import io.shardlb.events.image.Provenance;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the controller has observed so far, folded from {@code events}: the latest configuration, every Service
 * of ours with its endpoints, and the agent pods. Immutable; maps are persistent, so an update shares everything
 * it does not touch. kube-bridge compares the cluster with this image after a restart; the planner folds the same
 * facts.
 * <p>
 * The planner and the bridge ask about one Service on almost every fact, so the maps are hash tries keyed by
 * name ({@link #service}, {@link #endpointsOf}, {@link #agentPod}: a few cache lines per lookup, where a sorted
 * tree of 10,000 names walks fourteen levels). A Service's spec and endpoints share one entry: a fact about a
 * Service walks one trie, and the planner's next question about it finds that path in the cache. The sorted maps ({@link #services()} and the others), which give
 * the same iteration order on every replica, are built from them when first asked for, once per image: walk them
 * only where the order matters (a configuration change re-evaluating every Service, a snapshot, a resync).
 */
public final class ObservedImage {
    /** Nothing observed. */
    public static final ObservedImage EMPTY = new ObservedImage(null, HashTrie.empty(), 0, 0, HashTrie.empty(),
            Provenance.EMPTY);

    private final Fact.ConfigObserved config;
    /** Per Service name, its spec and endpoints (either may be absent, never both). */
    final HashTrie<String, Entry> entries;
    /** Entries with a spec. */
    final int serviceCount;
    /** Entries with endpoints. */
    final int endpointsCount;
    final HashTrie<String, Fact.AgentObserved> agentPods;
    private final Provenance provenance;
    /** The sorted views, built on first use (immutable, so a racing second build is harmless). */
    private Sorted sorted;

    private record Sorted(PSortedMap<String, Fact.ServiceObserved> services,
                          PSortedMap<String, Fact.EndpointsObserved> endpoints,
                          PSortedMap<String, Fact.AgentObserved> agentPods) {
    }

    /**
     * What was observed of one Service name: its spec and its endpoints, each null when not observed (or gone).
     *
     * @param service   the latest spec, or null
     * @param endpoints the latest endpoints, or null
     */
    record Entry(Fact.ServiceObserved service, Fact.EndpointsObserved endpoints) {
    }

    ObservedImage(Fact.ConfigObserved config, HashTrie<String, Entry> entries, int serviceCount, int endpointsCount,
                  HashTrie<String, Fact.AgentObserved> agentPods, Provenance provenance) {
        this.config = config;
        this.entries = entries;
        this.serviceCount = serviceCount;
        this.endpointsCount = endpointsCount;
        this.agentPods = agentPods;
        this.provenance = provenance;
    }

    /** The last configuration recorded, if any. */
    public Optional<Fact.ConfigObserved> config() {
        return Optional.ofNullable(config);
    }

    /** The Service observed as {@code namespace/name}, null for none. */
    public Fact.ServiceObserved service(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.service();
    }

    /**
     * The instance of {@code name} this image holds (the one first observed), or {@code name} itself when it holds
     * none. Facts carry their own copy of the name; a caller that asks its many questions about one Service with
     * this instance has every map that keeps it compare keys by identity, not byte by byte.
     */
    public String serviceName(String name) {
        String held = entries.storedKey(name);
        return held == null ? name : held;
    }

    /** The endpoints last observed for {@code service}, null for none. */
    public Fact.EndpointsObserved endpointsOf(String service) {
        Entry e = entries.get(service);
        return e == null ? null : e.endpoints();
    }

    /** The agent pod named {@code agent}, null for none (or deleted). */
    public Fact.AgentObserved agentPod(String agent) {
        return agentPods.get(agent);
    }

    /** The number of Services observed. */
    public int serviceCount() {
        return serviceCount;
    }

    /** Services of ours by {@code namespace/name}, sorted (built on first use: O(n log n) once per image). */
    public PSortedMap<String, Fact.ServiceObserved> services() {
        return sorted().services();
    }

    /**
     * Endpoints by service, sorted (built on first use); a service may have endpoints observed before or without
     * its spec.
     */
    public PSortedMap<String, Fact.EndpointsObserved> endpoints() {
        return sorted().endpoints();
    }

    /** Agent pods by agent name, sorted (built on first use; deleted pods are removed). */
    public PSortedMap<String, Fact.AgentObserved> agentPods() {
        return sorted().agentPods();
    }

    /** The last record folded in. */
    public Provenance provenance() {
        return provenance;
    }

    /** A delta on this image. */
    public ObservedDelta delta() {
        return new ObservedDelta(this);
    }

    private Sorted sorted() {
        Sorted s = sorted;
        if (s == null) {
            TreeMap<String, Fact.ServiceObserved> svcs = new TreeMap<>();
            TreeMap<String, Fact.EndpointsObserved> eps = new TreeMap<>();
            entries.forEach((name, e) -> {
                if (e.service() != null) {
                    svcs.put(name, e.service());
                }
                if (e.endpoints() != null) {
                    eps.put(name, e.endpoints());
                }
            });
            s = new Sorted(TreePMap.fromSortedMap(svcs), TreePMap.fromSortedMap(eps),
                    agentPods.sorted(Comparator.naturalOrder()));
            sorted = s;
        }
        return s;
    }

    /** The image as snapshot bytes (JSON, entries sorted by name); {@link #fromSnapshot} restores an equal image. */
    public byte[] toSnapshot() {
        return RecordCodec.toJson(new Snapshot(config, List.copyOf(services().values()),
                List.copyOf(endpoints().values()), List.copyOf(agentPods().values()), provenance.offset(),
                provenance.logTime()));
    }

    /** Restores an image written by {@link #toSnapshot}. */
    public static ObservedImage fromSnapshot(byte[] bytes) {
        Snapshot s = RecordCodec.fromJson(bytes, Snapshot.class);
        ObservedDelta d = EMPTY.delta();
        if (s.config() != null) {
            d.replay(s.config());
        }
        s.services().forEach(d::replay);
        s.endpoints().forEach(d::replay);
        s.agentPods().forEach(d::replay);
        return d.applyAt(new Provenance(s.offset(), s.logTime()));
    }

    /** The snapshot wire form. */
    record Snapshot(Fact.ConfigObserved config, List<Fact.ServiceObserved> services,
                    List<Fact.EndpointsObserved> endpoints, List<Fact.AgentObserved> agentPods, long offset,
                    long logTime) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObservedImage other && Objects.equals(config, other.config)
                && entries.equals(other.entries) && agentPods.equals(other.agentPods)
                && provenance.equals(other.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, entries, agentPods, provenance);
    }

    @Override
    public String toString() {
        return "ObservedImage{services=" + serviceCount + ", endpoints=" + endpointsCount + ", agentPods="
                + agentPods.size() + ", provenance=" + provenance + "}";
    }
}
