package io.shardlb.events.schema;

/**
 * A backend of a rule: traffic for the VIP's {@code servicePort}/{@code protocol} goes to {@code ip}:{@code port}.
 */
public record RuleEndpoint(int servicePort, String protocol, String ip, int port) {
    public RuleEndpoint {
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        ip = Values.str(ip);
    }
}
