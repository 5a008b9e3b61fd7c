package io.shardlb.events.schema;

/** One port of a load-balancing rule: the VIP listens on {@code port}/{@code protocol}. */
public record RulePort(int port, String protocol) {
    public RulePort {
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
