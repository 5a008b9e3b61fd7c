package io.shardlb.bridge.in;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.shardlb.bridge.Objects;
import io.shardlb.bridge.Seed;
import io.shardlb.events.schema.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EndpointSliceAggregatorTest {
    final List<EndpointSlice> slices = List.of(
            Objects.slice("tcp-lb", "a", "198.18.1.21", "node-2", true),
            Objects.slice("tcp-lb", "b", "198.18.1.20", "node-1", true),
            Objects.slice("tcp-lb", "c", "198.18.1.22", "node-1", true),
            Objects.slice("tcp-lb", "d", "198.18.1.23", "node-3", false));

    @Test
    void readyPodAddressesSortedWhateverTheSliceOrder() {
        Service svc = Seed.tcpLb();
        List<Endpoint> expected = List.of(new Endpoint("198.18.1.20", 80, "tcp", "TCP", true, "node-1"),
                new Endpoint("198.18.1.21", 80, "tcp", "TCP", true, "node-2"),
                new Endpoint("198.18.1.22", 80, "tcp", "TCP", true, "node-1"));
        assertEquals(expected, EndpointSliceAggregator.aggregate("default/tcp-lb", svc, slices,
                n -> Optional.empty()).endpoints());
        assertEquals(expected, EndpointSliceAggregator.aggregate("default/tcp-lb", svc, slices.reversed(),
                n -> Optional.empty()).endpoints());
    }

    @Test
    void nodePortModeGivesOneEndpointPerNodeWithAReadyPod() {
        Service svc = Seed.service("tcp-lb", 56002, Map.of("shardlb.io/endpoints", "nodeport"));
        Map<String, String> nodes = Map.of("node-1", "198.18.2.1", "node-2", "198.18.2.2", "node-3", "198.18.2.3");
        assertEquals(List.of(new Endpoint("198.18.2.1", 30002, "tcp", "TCP", true, "node-1"),
                        new Endpoint("198.18.2.2", 30002, "tcp", "TCP", true, "node-2")),
                EndpointSliceAggregator.aggregate("default/tcp-lb", svc, slices,
                        n -> Optional.ofNullable(nodes.get(n))).endpoints());
    }
}
