package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;

/**
 * Rewrites a frame in place (forwarded, or answered locally), through the engine's flyweights already wrapped on it: Ethernet
 * addresses (source always the agent's MAC), IPv4 addresses with the header checksum updated incrementally
 * (RFC 1624: an IPv4 header checksum is never left partial by offload), the L4 ports, and the L4 checksum
 * recomputed in full (the input may carry only a partial offload sum: see {@link Checksums}). Each field group
 * is written in one or two accesses: the per-packet path must stay small enough for the JIT to inline whole.
 */
final class FrameRewriter {
    private final EthernetFlyweight eth;
    private final Ipv4Flyweight ip;
    private final long agentMac;

    FrameRewriter(EthernetFlyweight eth, Ipv4Flyweight ip, long agentMac) {
        this.eth = eth;
        this.ip = ip;
        this.agentMac = agentMac;
    }

    /** Next hop only ({@code dsr}): new destination MAC, addresses and ports kept, L4 checksum recomputed. */
    void nextHop(MemorySegment f, long l4, int l4Len, int protocol, long dstMac, int src, int dst) {
        eth.addresses(dstMac, agentMac);
        l4Checksum(f, l4, l4Len, protocol, src, dst);
    }

    /** Next hop, addresses from {@code oldSrc/oldDst} to {@code newSrc/newDst}, and both ports. */
    void nat(MemorySegment f, long l4, int l4Len, int protocol, long dstMac, int oldSrc, int oldDst, int newSrc,
             int newDst, int srcPort, int dstPort) {
        eth.addresses(dstMac, agentMac);
        int csum = Checksums.update32(ip.checksum(), oldSrc, newSrc);
        csum = Checksums.update32(csum, oldDst, newDst);
        ip.addresses(newSrc, newDst);
        ip.checksum(csum);
        // both ports in one write: the same place in TCP and UDP
        Bytes.putU32(f, l4 + TcpFlyweight.SRC_PORT_OFFSET, srcPort << 16 | dstPort);
        l4Checksum(f, l4, l4Len, protocol, newSrc, newDst);
    }

    /** Turns the echo request at {@code l4} (wrapped in {@code icmp}) into its reply, back to the requester. */
    void echoReply(MemorySegment f, long off, IcmpFlyweight icmp, long l4, int l4Len) {
        eth.addresses(eth.src(), agentMac);
        long addresses = ip.addresses();
        ip.addresses((int) addresses, (int) (addresses >>> 32));
        ip.ttl(64);
        Checksums.ipv4Header(f, off + EthernetFlyweight.HEADER_LENGTH, Ipv4Flyweight.MIN_HEADER_LENGTH);
        icmp.type(IcmpFlyweight.TYPE_ECHO_REPLY);
        Checksums.icmp(f, l4, l4Len);
    }

    private static void l4Checksum(MemorySegment f, long l4, int l4Len, int protocol, int src, int dst) {
        int csumOffset = protocol == Ipv4Flyweight.PROTO_TCP ? TcpFlyweight.CHECKSUM_OFFSET
                : UdpFlyweight.CHECKSUM_OFFSET;
        Checksums.l4Ipv4(f, l4, l4Len, protocol, csumOffset, src, dst);
    }
}
