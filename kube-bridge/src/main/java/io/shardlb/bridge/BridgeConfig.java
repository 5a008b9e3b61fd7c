package io.shardlb.bridge;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the bridge watches and how it writes, validated once at start.
 *
 * @param namespace         the namespace to watch for Services and EndpointSlices; "" for all namespaces
 * @param acceptClassless   whether LoadBalancer Services without a {@code loadBalancerClass} are ours
 * @param agentNamespace    the namespace of the agent pods
 * @param agentSelector     label selector of the agent pods (e.g. {@code app=shardlb-agent})
 * @param noZoneName        publish {@code ip} + {@code ipMode: Proxy} instead of {@code hostname: llb-<ip>}
 * @param zone              the zone prefix of published hostnames ({@code llb})
 * @param writer            the writer name put on facts ({@code kube-bridge})
 * @param classes           the {@code loadBalancerClass} values that are ours (default both of {@link Keys#CLASSES})
 */
public record BridgeConfig(String namespace, boolean acceptClassless, String agentNamespace,
                           Map<String, String> agentSelector, boolean noZoneName, String zone, String writer,
                           List<String> classes) {
    public BridgeConfig {
        classes = classes == null || classes.isEmpty() ? Keys.CLASSES : List.copyOf(classes);
        namespace = Objects.requireNonNullElse(namespace, "");
        Objects.requireNonNull(agentNamespace, "agentNamespace");
        agentSelector = Map.copyOf(agentSelector);
        if (agentSelector.isEmpty()) {
            throw new IllegalArgumentException("agent selector must name at least one label: agentSelector={}");
        }
        zone = zone == null || zone.isBlank() ? "llb" : zone;
        writer = writer == null || writer.isBlank() ? "kube-bridge" : writer;
    }

    /** A config serving both of our classes. */
    public BridgeConfig(String namespace, boolean acceptClassless, String agentNamespace,
                        Map<String, String> agentSelector, boolean noZoneName, String zone, String writer) {
        this(namespace, acceptClassless, agentNamespace, agentSelector, noZoneName, zone, writer, Keys.CLASSES);
    }

    /** The defaults: all namespaces, no classless Services, agents {@code app=shardlb-agent} in {@code kube-system}. */
    public static BridgeConfig defaults() {
        return new BridgeConfig("", false, "kube-system", Map.of("app", "shardlb-agent"), false, "llb",
                "kube-bridge");
    }

    /** A copy with another watched namespace. */
    public BridgeConfig withNamespace(String ns) {
        return new BridgeConfig(ns, acceptClassless, agentNamespace, agentSelector, noZoneName, zone, writer, classes);
    }

    /** A copy with other agent pods. */
    public BridgeConfig withAgents(String ns, Map<String, String> selector) {
        return new BridgeConfig(namespace, acceptClassless, ns, selector, noZoneName, zone, writer, classes);
    }

    /** A copy accepting (or not) classless Services. */
    public BridgeConfig withAcceptClassless(boolean accept) {
        return new BridgeConfig(namespace, accept, agentNamespace, agentSelector, noZoneName, zone, writer, classes);
    }

    /** A copy serving only {@code cls} (one of {@link Keys#CLASSES}); empty for both. */
    public BridgeConfig withClass(String cls) {
        return new BridgeConfig(namespace, acceptClassless, agentNamespace, agentSelector, noZoneName, zone, writer,
                cls == null || cls.isEmpty() ? Keys.CLASSES : List.of(cls));
    }

    /** A copy publishing ip + ipMode instead of hostnames. */
    public BridgeConfig withNoZoneName(boolean noZone) {
        return new BridgeConfig(namespace, acceptClassless, agentNamespace, agentSelector, noZone, zone, writer, classes);
    }
}
