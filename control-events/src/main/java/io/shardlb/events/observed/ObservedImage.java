package io.shardlb.events.observed;

import io.shardlb.events.collect.HashTrie;
import io.shardlb.events.image.Provenance;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import org.pcollections.PSortedMap;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller has observed so far, folded from {@code events}: the latest configuration, every Service
 * of ours with its endpoints, and the agent pods. Immutable; maps are persistent, so an update shares everything
 * it does not touch. kube-bridge compares the cluster with this image after a restart; the planner folds the same
 * facts.
 * <p>
 * The planner and the bridge ask about one Service on almost every fact, so the maps are hash tries keyed by
 * name ({@link #service}, {@link #endpointsOf}, {@link #agentPod}: a few cache lines per lookup, where a sorted
 * tree of 10,000 names walks fourteen levels). The sorted maps ({@link #services()} and the others), which give
 * the same iteration order on every replica, are built from them when first asked for, once per image: walk them
 * only where the order matters (a configuration change re-evaluating every Service, a snapshot, a resync).
 */
public final class ObservedImage {
    /** Nothing observed. */
    public static final ObservedImage EMPTY = new ObservedImage(null, HashTrie.empty(), HashTrie.empty(),
            HashTrie.empty(), Provenance.EMPTY);

    private final Fact.ConfigObserved config;
    final HashTrie<String, Fact.ServiceObserved> services;
    final HashTrie<String, Fact.EndpointsObserved> endpoints;
    final HashTrie<String, Fact.AgentObserved> agentPods;
    private final Provenance provenance;
    /** The sorted views, built on first use (immutable, so a racing second build is harmless). */
    private Sorted sorted;

    private record Sorted(PSortedMap<String, Fact.ServiceObserved> services,
                          PSortedMap<String, Fact.EndpointsObserved> endpoints,
                          PSortedMap<String, Fact.AgentObserved> agentPods) {
    }

    ObservedImage(Fact.ConfigObserved config, HashTrie<String, Fact.ServiceObserved> services,
                  HashTrie<String, Fact.EndpointsObserved> endpoints,
                  HashTrie<String, Fact.AgentObserved> agentPods, Provenance provenance) {
        this.config = config;
        this.services = services;
        this.endpoints = endpoints;
        this.agentPods = agentPods;
        this.provenance = provenance;
    }

    /** The last configuration recorded, if any. */
    public Optional<Fact.ConfigObserved> config() {
        return Optional.ofNullable(config);
    }

    /** The Service observed as {@code namespace/name}, null for none. */
    public Fact.ServiceObserved service(String key) {
        return services.get(key);
    }

    /** The endpoints last observed for {@code service}, null for none. */
    public Fact.EndpointsObserved endpointsOf(String service) {
        return endpoints.get(service);
    }

    /** The agent pod named {@code agent}, null for none (or deleted). */
    public Fact.AgentObserved agentPod(String agent) {
        return agentPods.get(agent);
    }

    /** The number of Services observed. */
    public int serviceCount() {
        return services.size();
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
            Comparator<String> byName = Comparator.naturalOrder();
            s = new Sorted(services.sorted(byName), endpoints.sorted(byName), agentPods.sorted(byName));
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
        HashTrie<String, Fact.ServiceObserved> svcs = HashTrie.empty();
        for (Fact.ServiceObserved o : s.services()) {
            svcs = svcs.put(o.service(), o);
        }
        HashTrie<String, Fact.EndpointsObserved> eps = HashTrie.empty();
        for (Fact.EndpointsObserved o : s.endpoints()) {
            eps = eps.put(o.service(), o);
        }
        HashTrie<String, Fact.AgentObserved> pods = HashTrie.empty();
        for (Fact.AgentObserved o : s.agentPods()) {
            pods = pods.put(o.agent(), o);
        }
        return new ObservedImage(s.config(), svcs, eps, pods, new Provenance(s.offset(), s.logTime()));
    }

    /** The snapshot wire form. */
    record Snapshot(Fact.ConfigObserved config, List<Fact.ServiceObserved> services,
                    List<Fact.EndpointsObserved> endpoints, List<Fact.AgentObserved> agentPods, long offset,
                    long logTime) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObservedImage other && Objects.equals(config, other.config)
                && services.equals(other.services) && endpoints.equals(other.endpoints)
                && agentPods.equals(other.agentPods) && provenance.equals(other.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, services, endpoints, agentPods, provenance);
    }

    @Override
    public String toString() {
        return "ObservedImage{services=" + services.size() + ", endpoints=" + endpoints.size() + ", agentPods="
                + agentPods.size() + ", provenance=" + provenance + "}";
    }
}
