package io.shardlb.agent.forwarder;

/**
 * Counters of one rule: packets and bytes forwarded in both directions (for the packet engine, IP packets and
 * their IP length; for the proxy, reads and payload bytes), and flows currently tracked.
 */
public record RuleCounters(long packets, long bytes, long activeFlows) {
    /** Nothing counted yet. */
    public static final RuleCounters ZERO = new RuleCounters(0, 0, 0);
}
