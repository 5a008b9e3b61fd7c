package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Test objects: agent pods and EndpointSlices. */
public final class Objects {
    private Objects() {
    }

    public static Pod agentPod(String name, String node, String ip, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("kube-system")
                .addToLabels("app", "shardlb-agent").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("agent").withImage("shardlb").endContainer()
                .endSpec()
                .withNewStatus().withPodIP(ip).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
    }

    public static EndpointSlice slice(String service, String name, String ip, String node, boolean ready) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels(Keys.LABEL_SERVICE_NAME, service).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(ip).withNodeName(node).withNewConditions().withReady(ready)
                .endConditions().endEndpoint()
                .addNewPort().withName("tcp").withPort(80).withProtocol("TCP").endPort().build();
    }
}
