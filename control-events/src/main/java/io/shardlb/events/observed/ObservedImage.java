package io.shardlb.events.observed;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller has observed so far, folded from {@code events}: the latest configuration, every Service
 * of ours with its endpoints, and the agent pods. Immutable; maps are persistent and sorted, so an update shares
 * everything it does not touch and iteration order is the same on every replica. kube-bridge compares the
 * cluster with this image after a restart; the planner folds the same facts.
 */
public final class ObservedImage {
    /** Nothing observed. */
    public static final ObservedImage EMPTY = new ObservedImage(null, TreePMap.empty(), TreePMap.empty(),
            TreePMap.empty(), Provenance.EMPTY);

    private final Fact.ConfigObserved config;
    private final PSortedMap<String, Fact.ServiceObserved> services;
    private final PSortedMap<String, Fact.EndpointsObserved> endpoints;
    private final PSortedMap<String, Fact.AgentObserved> agentPods;
    private final Provenance provenance;

    ObservedImage(Fact.ConfigObserved config, PSortedMap<String, Fact.ServiceObserved> services,
                  PSortedMap<String, Fact.EndpointsObserved> endpoints,
                  PSortedMap<String, Fact.AgentObserved> agentPods, Provenance provenance) {
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

    /** Services of ours by {@code namespace/name}. */
    public PSortedMap<String, Fact.ServiceObserved> services() {
        return services;
    }

    /** Endpoints by service; a service may have endpoints observed before or without its spec. */
    public PSortedMap<String, Fact.EndpointsObserved> endpoints() {
        return endpoints;
    }

    /** Agent pods by agent name (deleted pods are removed). */
    public PSortedMap<String, Fact.AgentObserved> agentPods() {
        return agentPods;
    }

    /** The last record folded in. */
    public Provenance provenance() {
        return provenance;
    }

    /** A delta on this image. */
    public ObservedDelta delta() {
        return new ObservedDelta(this);
    }

    /** The image as snapshot bytes (JSON); {@link #fromSnapshot} restores an equal image. */
    public byte[] toSnapshot() {
        return RecordCodec.toJson(new Snapshot(config, List.copyOf(services.values()),
                List.copyOf(endpoints.values()), List.copyOf(agentPods.values()), provenance.offset(),
                provenance.logTime()));
    }

    /** Restores an image written by {@link #toSnapshot}. */
    public static ObservedImage fromSnapshot(byte[] bytes) {
        Snapshot s = RecordCodec.fromJson(bytes, Snapshot.class);
        PSortedMap<String, Fact.ServiceObserved> svcs = TreePMap.empty();
        for (Fact.ServiceObserved o : s.services()) {
            svcs = svcs.plus(o.service(), o);
        }
        PSortedMap<String, Fact.EndpointsObserved> eps = TreePMap.empty();
        for (Fact.EndpointsObserved o : s.endpoints()) {
            eps = eps.plus(o.service(), o);
        }
        PSortedMap<String, Fact.AgentObserved> pods = TreePMap.empty();
        for (Fact.AgentObserved o : s.agentPods()) {
            pods = pods.plus(o.agent(), o);
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
