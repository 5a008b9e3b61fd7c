package io.shardlb.events.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * One combined broker+controller node of an embedded cluster: its id and its two loopback ports.
 *
 * @param nodeId         KRaft node id (1..n)
 * @param brokerPort     port of the PLAINTEXT client listener on 127.0.0.1
 * @param controllerPort port of the CONTROLLER listener on 127.0.0.1
 */
public record NodeSpec(int nodeId, int brokerPort, int controllerPort) {

    /** {@code 127.0.0.1:brokerPort}, the address clients bootstrap from. */
    public String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    /** {@code id@127.0.0.1:controllerPort}, one entry of {@code controller.quorum.voters}. */
    String voter() {
        return nodeId + "@127.0.0.1:" + controllerPort;
    }

    /** {@code id:brokerPort:controllerPort}, the command-line form read by {@link #parseList}. */
    String arg() {
        return nodeId + ":" + brokerPort + ":" + controllerPort;
    }

    /** Parses {@code 1:9092:9093,2:9094:9095}. */
    static List<NodeSpec> parseList(String text) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] f = part.trim().split(":");
            if (f.length != 3) {
                throw new IllegalArgumentException("bad node spec (expected id:brokerPort:controllerPort): " + part);
            }
            nodes.add(new NodeSpec(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        return List.copyOf(nodes);
    }

    static String joinArgs(List<NodeSpec> nodes) {
        return String.join(",", nodes.stream().map(NodeSpec::arg).toList());
    }
}
