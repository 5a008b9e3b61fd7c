package io.shardlb.agent.forwarder;

/**
 * Why a packet (or, in the proxy, a connection or datagram) was not forwarded. Each kind has one fixed verdict
 * in the packet engine: {@link #passedToKernel()} kinds are handed to the kernel untouched (it may know better),
 * the others are dropped. Every occurrence is counted.
 */
public enum DropKind {
    /** Frame shorter than a header, or IP total length beyond the frame, or L4 header cut. Dropped. */
    TRUNCATED(false),
    /** IPv4 version not 4 or IHL below 5, TCP data offset below 5. Dropped. */
    BAD_HEADER(false),
    /** IPv4 with options (IHL above 5): not rewritten here. Passed. */
    IP_OPTIONS(true),
    /** IPv4 fragment (MF set or offset non-zero): no reassembly here. Passed. */
    FRAGMENT(true),
    /** Not TCP, UDP or ICMP, to a VIP. Passed. */
    UNKNOWN_PROTOCOL(true),
    /** ICMP to a VIP other than an echo request (errors are not translated). Passed. */
    ICMP_UNHANDLED(true),
    /** VIP not claimed or its deadline passed: the forwarder no longer answers for it. Passed. */
    NOT_CLAIMED(true),
    /** Claimed VIP but no rule for this port and protocol. Dropped. */
    NO_RULE(false),
    /** Source outside the rule's loadBalancerSourceRanges. Dropped. */
    SOURCE_NOT_ALLOWED(false),
    /** The rule has no endpoint. Dropped. */
    NO_ENDPOINT(false),
    /** The flow table is full and nothing expired could be reclaimed. Dropped. */
    FLOW_TABLE_FULL(false),
    /** No free NAT source port toward that endpoint. Dropped. */
    NAT_PORTS_EXHAUSTED(false),
    /** The next hop's MAC address is unknown. Dropped. */
    NO_NEIGHBOUR(false),
    /** Proxy only: the backend refused or did not answer the connect. Dropped (client connection closed). */
    CONNECT_FAILED(false);

    private final boolean passedToKernel;

    DropKind(boolean passedToKernel) {
        this.passedToKernel = passedToKernel;
    }

    /** True if the packet engine hands such frames to the kernel instead of dropping them. */
    public boolean passedToKernel() {
        return passedToKernel;
    }
}
