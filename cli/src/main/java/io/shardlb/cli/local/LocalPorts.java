package io.shardlb.cli.local;

import io.shardlb.cli.UserError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed loopback ports of a local system, so that commands of another terminal find its parts without flags
 * ({@code get ha} defaults to agent-1's API). Checked free before anything starts: a taken one is named with what
 * needs it, and start-up stops.
 */
record LocalPorts(int kubeApi, int controllerMetrics, int firstAgentApi) {
    static final LocalPorts DEFAULTS = new LocalPorts(16443, 11224, 11111);

    int agentApi(int index) {
        return firstAgentApi + index;
    }

    /** Throws a {@link UserError} naming the first of {@code needs} (address:port → what) that is taken. */
    static void requireFree(Map<String, String> needs) {
        for (var e : needs.entrySet()) {
            String[] hp = e.getKey().split(":");
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1])));
            } catch (IOException ex) {
                throw new UserError(e.getKey() + " is taken (" + e.getValue() + " needs it): " + ex.getMessage()
                        + "; is another shardlb local running, from another directory?");
            }
        }
    }

    /** What this system binds, with a word on each. */
    Map<String, String> needs(int agents, Iterable<String> vips) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("127.0.0.1:" + kubeApi, "the embedded Kubernetes API");
        out.put("127.0.0.1:" + controllerMetrics, "the controller's metrics");
        for (int i = 0; i < agents; i++) {
            out.put("127.0.0.1:" + agentApi(i), "agent-" + (i + 1) + "'s API");
        }
        vips.forEach(v -> out.put(v, "a seed Service's VIP"));
        return out;
    }
}
