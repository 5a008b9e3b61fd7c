package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.FlowTable.CLIENT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.NAT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.NAT_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_PORT_OFFSET;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.agrona.collections.Long2LongHashMap;

/**
 * The packet engine: pure Java over Ethernet frames in a {@link MemorySegment}, no I/O. {@link #process} reads
 * one frame, rewrites it in place and returns a {@link Verdict}: transmit (with the new length), pass to the
 * kernel, or drop. No allocation per frame. Single-threaded: the driver (AF_XDP loop, test, benchmark) calls
 * every method from one thread, deltas between frames.
 *
 * <p>Order of checks (each failure counted by {@link DropKind}, with that kind's fixed verdict):
 * <ol>
 *   <li>frame below 14 bytes: TRUNCATED. ARP: below 42 bytes TRUNCATED; an Ethernet/IPv4 request for a VIP
 *       claimed and before its deadline is answered in place (TX); any other ARP passes uncounted.
 *       Other ethertypes (IPv6 included, for now) pass uncounted.
 *   <li>IPv4: below 34 bytes TRUNCATED; version not 4 or IHL below 5 BAD_HEADER; total length below the header
 *       or beyond the frame TRUNCATED; IHL above 5 IP_OPTIONS; fragment FRAGMENT.
 *   <li>TCP/UDP/ICMP header cut short TRUNCATED; TCP data offset below 5 BAD_HEADER; UDP length below 8 or
 *       beyond the IP payload TRUNCATED.
 *   <li>TCP/UDP to a rule's VIP and port: NOT_CLAIMED unless claimed before the deadline, then the forward
 *       path. Else a reply matching a flow's backend side: the reverse path (NOT_CLAIMED past the deadline).
 *   <li>Any other packet to a known VIP: NOT_CLAIMED when unclaimed or expired; ICMP echo request answered
 *       (TX), other ICMP ICMP_UNHANDLED; TCP/UDP NO_RULE; other protocols UNKNOWN_PROTOCOL.
 *   <li>Everything else is not ours: passed uncounted.
 * </ol>
 * Rewrites by mode: {@code default} destination to the endpoint; {@code onearm} also source to the agent's
 * address and a NAT port; {@code fullnat} source to the VIP and a NAT port; {@code dsr} only the destination
 * MAC. Replies get the VIP as source and the client as destination. Ethernet source is always the agent's MAC.
 * The IPv4 header checksum is updated incrementally (always complete on input); the L4 checksum is recomputed
 * in full (input may carry a partial offload sum): see {@link Checksums}.
 */
public final class PacketEngine implements AutoCloseable {
    private final EngineConfig config;
    private final FlowTable flows;
    private final RuleBook rules = new RuleBook();
    private final Long2LongHashMap neighbours = new Long2LongHashMap(64, 0.5f, -1L);
    private final ConnTrack track;
    private final long[] dropCounts = new long[DropKind.values().length];
    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();

    /** An engine with an empty flow table of {@code config.flowCapacity()} entries. */
    public PacketEngine(EngineConfig config) {
        this.config = config;
        this.flows = new FlowTable(config.flowCapacity());
        this.track = new ConnTrack(flows, rules, config, neighbours);
    }

    /**
     * Processes the frame of {@code length} bytes at {@code offset} in {@code frame} (for AF_XDP: the UMEM and
     * the descriptor's address), rewriting it in place. {@code nowNanos} is {@link System#nanoTime()}.
     */
    public long process(MemorySegment frame, long offset, int length, long nowNanos) {
        if (length < EthernetFlyweight.HEADER_LENGTH || offset < 0 || offset + length > frame.byteSize()) {
            return count(DropKind.TRUNCATED);
        }
        eth.wrap(frame, offset);
        int type = eth.etherType();
        if (type == EthernetFlyweight.ETHERTYPE_IPV4) {
            return ipv4(frame, offset, length, nowNanos);
        }
        if (type == EthernetFlyweight.ETHERTYPE_ARP) {
            return arp(frame, offset, length, nowNanos);
        }
        return Verdict.pass();
    }

    /**
     * Processes {@code count} frames of one receive batch: {@code offsets[i]} and {@code lengths[i]} in {@code
     * frames}; the verdict of frame i goes to {@code verdicts[i]}. Same result as calling {@link #process} for
     * each, faster: the flow-table lines of the whole batch are loaded first, so their cache misses overlap.
     */
    public void processBatch(MemorySegment frames, long[] offsets, int[] lengths, int count, long nowNanos,
                             long[] verdicts) {
        int sink = 0;
        for (int i = 0; i < count; i++) {
            long off = offsets[i];
            int len = lengths[i];
            if (len >= 38 && off >= 0 && off + len <= frames.byteSize()
                    && Bytes.u16(frames, off + EthernetFlyweight.ETHERTYPE_OFFSET) == EthernetFlyweight.ETHERTYPE_IPV4
                    && Bytes.u8(frames, off + 14) == 0x45) {
                long ipOff = off + EthernetFlyweight.HEADER_LENGTH;
                sink += flows.touchForward(Bytes.u8(frames, ipOff + Ipv4Flyweight.PROTOCOL_OFFSET),
                        Bytes.u32(frames, ipOff + Ipv4Flyweight.SRC_OFFSET), Bytes.u16(frames, ipOff + 20),
                        Bytes.u32(frames, ipOff + Ipv4Flyweight.DST_OFFSET), Bytes.u16(frames, ipOff + 22));
            }
        }
        prefetchSink = sink;
        for (int i = 0; i < count; i++) {
            verdicts[i] = process(frames, offsets[i], lengths[i], nowNanos);
        }
    }

    /** Keeps the batch's early loads from being optimised away. */
    private int prefetchSink;

    /** {@link #process(MemorySegment, long, int, long)} for a frame at offset 0. */
    public long process(MemorySegment frame, int length, long nowNanos) {
        return process(frame, 0, length, nowNanos);
    }

    private long arp(MemorySegment f, long off, int len, long now) {
        if (len < EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH) {
            return count(DropKind.TRUNCATED);
        }
        arp.wrap(f, off + EthernetFlyweight.HEADER_LENGTH);
        if (arp.isEthernetIpv4() && arp.operation() == ArpFlyweight.OP_REQUEST
                && ArpDecisions.answers(rules.deadline(arp.targetIp()), now)) {
            ArpDecisions.rewriteAsReply(f, off, config.agentMac());
            return Verdict.tx(len);
        }
        return Verdict.pass();
    }

    private long ipv4(MemorySegment f, long off, int len, long now) {
        if (len < EthernetFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.TRUNCATED);
        }
        long ipOff = off + EthernetFlyweight.HEADER_LENGTH;
        ip.wrap(f, ipOff);
        int ihl = ip.headerLength();
        if (ip.version() != 4 || ihl < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.BAD_HEADER);
        }
        int total = ip.totalLength();
        if (total < ihl || EthernetFlyweight.HEADER_LENGTH + total > len) {
            return count(DropKind.TRUNCATED);
        }
        if (ihl > Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.IP_OPTIONS);
        }
        if (ip.isFragment()) {
            return count(DropKind.FRAGMENT);
        }
        long l4 = ipOff + ihl;
        int l4Len = total - ihl;
        int protocol = ip.protocol();
        switch (protocol) {
            case Ipv4Flyweight.PROTO_TCP -> {
                if (l4Len < TcpFlyweight.MIN_HEADER_LENGTH) {
                    return count(DropKind.TRUNCATED);
                }
                int doff = (Bytes.u8(f, l4 + TcpFlyweight.DATA_OFFSET_OFFSET) >>> 4) * 4;
                if (doff < TcpFlyweight.MIN_HEADER_LENGTH) {
                    return count(DropKind.BAD_HEADER);
                }
                if (doff > l4Len) {
                    return count(DropKind.TRUNCATED);
                }
                return l4(f, off, len, l4, l4Len, protocol, Bytes.u8(f, l4 + TcpFlyweight.FLAGS_OFFSET), now);
            }
            case Ipv4Flyweight.PROTO_UDP -> {
                int udpLen = l4Len < UdpFlyweight.HEADER_LENGTH ? -1 : Bytes.u16(f, l4 + UdpFlyweight.LENGTH_OFFSET);
                if (udpLen < UdpFlyweight.HEADER_LENGTH || udpLen > l4Len) {
                    return count(DropKind.TRUNCATED);
                }
                return l4(f, off, len, l4, udpLen, protocol, 0, now);
            }
            case Ipv4Flyweight.PROTO_ICMP -> {
                if (l4Len < IcmpFlyweight.HEADER_LENGTH) {
                    return count(DropKind.TRUNCATED);
                }
                return toVip(f, off, len, l4, l4Len, protocol, now);
            }
            default -> {
                return toVip(f, off, len, l4, l4Len, protocol, now);
            }
        }
    }

    private long l4(MemorySegment f, long off, int len, long l4, int l4Len, int protocol, int tcpFlags, long now) {
        int src = ip.src();
        int dst = ip.dst();
        int sport = Bytes.u16(f, l4);
        int dport = Bytes.u16(f, l4 + 2);
        int slot = rules.lookup(dst, dport, protocol);
        if (slot >= 0) {
            if (!ArpDecisions.answers(rules.slot(slot).claim.deadline, now)) {
                return count(DropKind.NOT_CLAIMED);
            }
            return forward(f, off, len, l4, l4Len, protocol, tcpFlags, slot, src, sport, dst, dport, now);
        }
        int id = flows.findReverse(protocol, src, sport, dst, dport);
        if (id >= 0) {
            return reverse(f, off, len, l4, l4Len, protocol, tcpFlags, id, now);
        }
        return toVip(f, off, len, l4, l4Len, protocol, now);
    }

    private long forward(MemorySegment f, long off, int len, long l4, int l4Len, int protocol, int tcpFlags,
                         int slot, int src, int sport, int vip, int vport, long now) {
        RuleState r = rules.slot(slot);
        int id = flows.findForward(protocol, src, sport, vip, vport);
        if (id >= 0 && track.ruleOf(id, r) == null) {
            id = -1;
        }
        if (id >= 0 && track.reopens(id, tcpFlags)) {
            // a new connection on the tuple of a closed one: a fresh flow (endpoint and NAT port chosen anew)
            track.end(id, r);
            id = -1;
        }
        if (id < 0) {
            id = track.create(r, protocol, src, sport, vip, vport, eth.src(), now);
            if (id < 0) {
                return count(ConnTrack.failure(id));
            }
        }
        track.touch(id, r, tcpFlags, true, now);
        r.packets++;
        r.bytes += l4Len + Ipv4Flyweight.MIN_HEADER_LENGTH;
        eth.src(config.agentMac());
        eth.dst(flows.getLong(id, EP_MAC_OFFSET));
        if (r.mode != Mode.DSR) {
            rewriteAddresses(flows.getInt(id, NAT_IP_OFFSET), flows.getInt(id, EP_IP_OFFSET));
            Bytes.putU16(f, l4, flows.getPort(id, NAT_PORT_OFFSET));
            Bytes.putU16(f, l4 + 2, flows.getPort(id, EP_PORT_OFFSET));
        }
        l4Checksum(f, l4, l4Len, protocol);
        return Verdict.tx(len);
    }

    private long reverse(MemorySegment f, long off, int len, long l4, int l4Len, int protocol, int tcpFlags,
                         int id, long now) {
        RuleState r = track.ruleOf(id);
        if (r == null) {
            return Verdict.pass();
        }
        int vip = flows.getInt(id, VIP_OFFSET);
        if (!ArpDecisions.answers(rules.deadline(vip), now)) {
            return count(DropKind.NOT_CLAIMED);
        }
        track.touch(id, r, tcpFlags, false, now);
        r.packets++;
        r.bytes += l4Len + Ipv4Flyweight.MIN_HEADER_LENGTH;
        eth.src(config.agentMac());
        eth.dst(flows.getLong(id, CLIENT_MAC_OFFSET));
        rewriteAddresses(vip, flows.getInt(id, CLIENT_IP_OFFSET));
        Bytes.putU16(f, l4, flows.getPort(id, VIP_PORT_OFFSET));
        Bytes.putU16(f, l4 + 2, flows.getPort(id, CLIENT_PORT_OFFSET));
        l4Checksum(f, l4, l4Len, protocol);
        return Verdict.tx(len);
    }

    private void rewriteAddresses(int newSrc, int newDst) {
        int csum = ip.checksum();
        int oldSrc = ip.src();
        int oldDst = ip.dst();
        // IPv4 header checksums are never left partial by offload: incremental (RFC 1624) is safe here
        csum = Checksums.update32(csum, oldSrc, newSrc);
        csum = Checksums.update32(csum, oldDst, newDst);
        ip.src(newSrc);
        ip.dst(newDst);
        ip.checksum(csum);
    }

    private void l4Checksum(MemorySegment f, long l4, int l4Len, int protocol) {
        long ipOff = l4 - Ipv4Flyweight.MIN_HEADER_LENGTH;
        int csumOffset = protocol == Ipv4Flyweight.PROTO_TCP ? TcpFlyweight.CHECKSUM_OFFSET
                : UdpFlyweight.CHECKSUM_OFFSET;
        Checksums.l4Ipv4(f, ipOff, l4, l4Len, protocol, csumOffset);
    }

    private long toVip(MemorySegment f, long off, int len, long l4, int l4Len, int protocol, long now) {
        int dst = ip.dst();
        if (!rules.knownVip(dst)) {
            return Verdict.pass();
        }
        if (!ArpDecisions.answers(rules.deadline(dst), now)) {
            return count(DropKind.NOT_CLAIMED);
        }
        return switch (protocol) {
            case Ipv4Flyweight.PROTO_TCP, Ipv4Flyweight.PROTO_UDP -> count(DropKind.NO_RULE);
            case Ipv4Flyweight.PROTO_ICMP -> icmp(f, off, len, l4, l4Len);
            default -> count(DropKind.UNKNOWN_PROTOCOL);
        };
    }

    private long icmp(MemorySegment f, long off, int len, long l4, int l4Len) {
        icmp.wrap(f, l4);
        if (icmp.type() != IcmpFlyweight.TYPE_ECHO_REQUEST || icmp.code() != 0) {
            return count(DropKind.ICMP_UNHANDLED);
        }
        long requester = eth.src();
        eth.src(config.agentMac());
        eth.dst(requester);
        int src = ip.src();
        ip.src(ip.dst());
        ip.dst(src);
        ip.ttl(64);
        Checksums.ipv4Header(f, off + EthernetFlyweight.HEADER_LENGTH, Ipv4Flyweight.MIN_HEADER_LENGTH);
        icmp.type(IcmpFlyweight.TYPE_ECHO_REPLY);
        Checksums.icmp(f, l4, l4Len);
        return Verdict.tx(len);
    }

    private long count(DropKind kind) {
        dropCounts[kind.ordinal()]++;
        return Verdict.of(kind);
    }

    /** Ends up to {@code budget} examined flows that expired or lost their rule; call it from the driver loop. */
    public int sweep(long nowNanos, int budget) {
        return track.sweep(nowNanos, budget);
    }

    /** Installs or replaces a rule (between frames). */
    public Outcome upsertRule(ServiceRule rule) {
        return rules.upsert(rule);
    }

    /** Removes a rule; its flows end lazily (on their next packet or sweep). */
    public Outcome removeRule(String ruleId) {
        rules.remove(ruleId);
        return Outcome.APPLIED;
    }

    /** Answers for {@code vip} until {@code deadlineNanos}. */
    public Outcome claimVip(InetAddress vip, long deadlineNanos) {
        return rules.claim(vip, deadlineNanos);
    }

    /** Stops answering for {@code vip}. */
    public Outcome releaseVip(InetAddress vip) {
        return rules.release(vip);
    }

    /** Records the MAC of a next hop (endpoints without a MAC in their rule). */
    public void learnNeighbour(int ipv4, long mac) {
        neighbours.put(ipv4 & 0xFFFF_FFFFL, mac);
    }

    /** Counters of a rule. */
    public Optional<RuleCounters> counters(String ruleId) {
        RuleState r = rules.byId(ruleId);
        return r == null ? Optional.empty() : Optional.of(new RuleCounters(r.packets, r.bytes, r.activeFlows));
    }

    /** Counts by kind since start (kinds never seen are absent). */
    public Map<DropKind, Long> drops() {
        Map<DropKind, Long> m = new EnumMap<>(DropKind.class);
        for (DropKind k : DropKind.values()) {
            if (dropCounts[k.ordinal()] != 0) {
                m.put(k, dropCounts[k.ordinal()]);
            }
        }
        return m;
    }

    /** Count of one kind. */
    public long dropCount(DropKind kind) {
        return dropCounts[kind.ordinal()];
    }

    /** Flows tracked. */
    public int flowCount() {
        return flows.size();
    }

    /** The settings. */
    public EngineConfig config() {
        return config;
    }

    @Override
    public void close() {
        flows.close();
    }
}
