package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import io.shardlb.agent.xdp.XdpConfig;
import io.shardlb.agent.xdp.XdpForwarder;

import java.util.ServiceLoader;

/**
 * Opens the forwarder the agent was asked for: the AF_XDP forwarder on an interface (production), or the NIO
 * proxy for loopback VIPs (local runs). A {@link ForwarderProvider} service on the class path takes precedence,
 * so another datapath can be plugged in without changing the agent.
 */
public final class Forwarders {
    private Forwarders() {
    }

    /**
     * A started forwarder of {@code kind} for {@code iface}.
     *
     * @throws IllegalArgumentException if the interface cannot carry that forwarder (e.g. it does not exist)
     */
    public static Forwarder open(ForwarderKind kind, String iface) {
        ForwarderProvider p = provider(kind);
        if (p != null) {
            return p.open(iface);
        }
        return switch (kind) {
            case PROXY -> ProxyForwarder.start(ProxyConfig.defaults());
            case XDP -> XdpForwarder.start(XdpConfig.of(iface));
        };
    }

    private static ForwarderProvider provider(ForwarderKind kind) {
        for (ForwarderProvider p : ServiceLoader.load(ForwarderProvider.class)) {
            if (p.kind() == kind) {
                return p;
            }
        }
        return null;
    }
}
