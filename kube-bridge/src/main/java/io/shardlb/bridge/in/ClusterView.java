package io.shardlb.bridge.in;

import io.shardlb.events.schema.Fact;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster as the bridge would report it now, already translated: Services of ours, their endpoints and the
 * agent pods, keyed like {@link io.shardlb.events.observed.ObservedImage}.
 *
 * @param services  Services of ours by {@code namespace/name}
 * @param endpoints endpoints of those Services (absent means none)
 * @param agents    live agent pods by name
 */
public record ClusterView(SortedMap<String, Fact.ServiceObserved> services,
                          SortedMap<String, Fact.EndpointsObserved> endpoints,
                          SortedMap<String, Fact.AgentObserved> agents) {
    public ClusterView {
        services = new TreeMap<>(services);
        endpoints = new TreeMap<>(endpoints);
        agents = new TreeMap<>(agents);
    }

    /** An empty cluster. */
    public static ClusterView empty() {
        return new ClusterView(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** A view of the given maps. */
    public static ClusterView of(Map<String, Fact.ServiceObserved> services,
                                 Map<String, Fact.EndpointsObserved> endpoints,
                                 Map<String, Fact.AgentObserved> agents) {
        return new ClusterView(new TreeMap<>(services), new TreeMap<>(endpoints), new TreeMap<>(agents));
    }
}
