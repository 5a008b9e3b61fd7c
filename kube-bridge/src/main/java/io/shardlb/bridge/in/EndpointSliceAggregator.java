package io.shardlb.bridge.in;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.shardlb.bridge.Keys;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Aggregates the EndpointSlices of one Service (label {@code kubernetes.io/service-name}) into one
 * {@link Fact.EndpointsObserved}. Only ready endpoints are kept; the result is sorted and de-duplicated, so
 * the same set of slices gives an equal fact whatever order the informer delivered them in.
 *
 * <p>By default an endpoint is a pod address with the slice's port. A Service annotated
 * {@code shardlb.io/endpoints: nodeport} gets instead one endpoint per node that runs a ready pod, with the
 * node's address and the Service's {@code nodePort} for each port (for clusters where agents cannot reach pod
 * addresses).
 */
public final class EndpointSliceAggregator {
    private static final Comparator<Endpoint> ORDER = Comparator.comparing(Endpoint::ip)
            .thenComparingInt(Endpoint::port).thenComparing(Endpoint::portName).thenComparing(Endpoint::protocol)
            .thenComparing(Endpoint::node);

    private EndpointSliceAggregator() {
    }

    /** Whether the Service asks for node address + nodePort endpoints. */
    public static boolean wantsNodePorts(Service svc) {
        return svc.getMetadata() != null && svc.getMetadata().getAnnotations() != null
                && Keys.ENDPOINTS_NODEPORT.equals(svc.getMetadata().getAnnotations().get(Keys.ANN_ENDPOINTS));
    }

    /**
     * The endpoints fact of {@code service}.
     *
     * @param serviceKey  {@code namespace/name}
     * @param svc         the Service (its ports and annotations)
     * @param slices      its EndpointSlices
     * @param nodeAddress a node's address by node name (node-port mode only)
     */
    public static Fact.EndpointsObserved aggregate(String serviceKey, Service svc, Collection<EndpointSlice> slices,
                                                   Function<String, Optional<String>> nodeAddress) {
        TreeSet<Endpoint> out = new TreeSet<>(ORDER);
        boolean nodePorts = wantsNodePorts(svc);
        for (EndpointSlice slice : slices) {
            if (slice == null || slice.getEndpoints() == null || "FQDN".equals(slice.getAddressType())) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ep : slice.getEndpoints()) {
                if (ep == null || !isReady(ep)) {
                    continue;
                }
                String node = ep.getNodeName() == null ? "" : ep.getNodeName();
                if (nodePorts) {
                    addNodePorts(out, svc, node, nodeAddress);
                } else {
                    addPodPorts(out, slice, ep, node);
                }
            }
        }
        return new Fact.EndpointsObserved(serviceKey, new ArrayList<>(out));
    }

    /** Kubernetes: a nil ready condition means ready. */
    private static boolean isReady(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ep) {
        return ep.getConditions() == null || ep.getConditions().getReady() == null
                || ep.getConditions().getReady();
    }

    private static void addPodPorts(TreeSet<Endpoint> out, EndpointSlice slice,
                                    io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ep, String node) {
        if (ep.getAddresses() == null || slice.getPorts() == null) {
            return;
        }
        for (String address : ep.getAddresses()) {
            if (address == null || address.isEmpty()) {
                continue;
            }
            for (EndpointPort port : slice.getPorts()) {
                if (port != null && port.getPort() != null) {
                    out.add(new Endpoint(address, port.getPort(), port.getName(), port.getProtocol(), true, node));
                }
            }
        }
    }

    private static void addNodePorts(TreeSet<Endpoint> out, Service svc, String node,
                                     Function<String, Optional<String>> nodeAddress) {
        if (node.isEmpty() || svc.getSpec() == null || svc.getSpec().getPorts() == null) {
            return;
        }
        Optional<String> address = nodeAddress.apply(node);
        if (address.isEmpty()) {
            return; // the node informer has not seen it yet; its update brings the endpoint
        }
        for (io.fabric8.kubernetes.api.model.ServicePort p : svc.getSpec().getPorts()) {
            if (p != null && p.getNodePort() != null && p.getNodePort() > 0) {
                out.add(new Endpoint(address.get(), p.getNodePort(), p.getName(), p.getProtocol(), true, node));
            }
        }
    }
}
