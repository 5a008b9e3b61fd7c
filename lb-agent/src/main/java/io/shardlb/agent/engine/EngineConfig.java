package io.shardlb.agent.engine;

import java.time.Duration;

/**
 * Fixed settings of a {@link PacketEngine}: the agent's own IPv4 address and MAC (the SNAT source of {@code
 * onearm} and the source MAC of every frame sent), NAT ports, flow-table capacity, and how long a closing TCP
 * flow lives (FIN seen: {@code finTimeout}; RST seen: {@code rstTimeout}); other flows live for their rule's
 * inactivity timeout.
 */
public record EngineConfig(int agentIp, long agentMac, NatPortRange natPorts, int flowCapacity,
                           Duration finTimeout, Duration rstTimeout) {
    public EngineConfig {
        if (flowCapacity < 16 || Integer.bitCount(flowCapacity) != 1 || flowCapacity > (1 << 26)) {
            throw new IllegalArgumentException("flow capacity must be a power of two in [16, 2^26]: flowCapacity="
                    + flowCapacity);
        }
        if (finTimeout.isNegative() || rstTimeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: fin=" + finTimeout + " rst=" + rstTimeout);
        }
    }

    /** Defaults: 61000–65535, 2^17 flows, FIN 10 s, RST 2 s. */
    public static EngineConfig of(int agentIp, long agentMac) {
        return new EngineConfig(agentIp, agentMac, NatPortRange.DEFAULT, 1 << 17, Duration.ofSeconds(10),
                Duration.ofSeconds(2));
    }

    /** A copy with another flow capacity. */
    public EngineConfig withFlowCapacity(int capacity) {
        return new EngineConfig(agentIp, agentMac, natPorts, capacity, finTimeout, rstTimeout);
    }
}
