package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.FlowTable.CLIENT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.NAT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_PORT_OFFSET;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
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
    private final DropCounters dropCounts = new DropCounters();
    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();
    private final FrameRewriter rewriter;
    /** Per-frame forward hashes of the current batch, grown to the largest batch seen. */
    private int[] batchHashes = new int[64];
    /** Keeps the batch's early loads from being optimised away. */
    private int prefetchSink;

    /** An engine with an empty flow table of {@code config.flowCapacity()} entries. */
    public PacketEngine(EngineConfig config) {
        this.config = config;
        this.flows = new FlowTable(config.flowCapacity());
        this.track = new ConnTrack(flows, rules, config, neighbours);
        this.rewriter = new FrameRewriter(eth, ip, config.agentMac());
    }

    /**
     * Processes the frame of {@code length} bytes at {@code offset} in {@code frame} (for AF_XDP: the UMEM and
     * the descriptor's address), rewriting it in place. {@code nowNanos} is {@link System#nanoTime()}.
     */
    public long process(MemorySegment frame, long offset, int length, long nowNanos) {
        return process(frame, offset, length, nowNanos, -1);
    }

    /** {@link #process(MemorySegment, long, int, long)} given the frame's {@link #forwardHashOf} (-1: none). */
    private long process(MemorySegment frame, long offset, int length, long nowNanos, int hash) {
        if (length < EthernetFlyweight.HEADER_LENGTH || offset < 0 || offset + length > frame.byteSize()) {
            return count(DropKind.TRUNCATED);
        }
        eth.wrap(frame, offset);
        int type = eth.etherType();
        if (type == EthernetFlyweight.ETHERTYPE_IPV4) {
            return ipv4(frame, offset, length, nowNanos, hash);
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
        int[] hashes = batchHashes.length >= count ? batchHashes : (batchHashes = new int[count]);
        for (int i = 0; i < count; i++) {
            hashes[i] = forwardHashOf(frames, offsets[i], lengths[i]);
        }
        // the early loads in a loop of their own: a few instructions per miss, so the core keeps many in flight
        int sink = 0;
        for (int i = 0; i < count; i++) {
            int h = hashes[i];
            if (h >= 0) {
                sink += flows.touchHome(h);
            }
        }
        prefetchSink = sink;
        for (int i = 0; i < count; i++) {
            verdicts[i] = process(frames, offsets[i], lengths[i], nowNanos, hashes[i]);
        }
    }

    /**
     * The hash of the key {@link #forward} looks up if this turns out to be TCP/UDP to a rule, for an IPv4 frame
     * without options long enough for the ports, else -1: the batch loads the line early, the lookup reuses it. */
    private static int forwardHashOf(MemorySegment f, long off, int len) {
        if (len < EthernetFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH + 4 || off < 0
                || off + len > f.byteSize()) {
            return -1;
        }
        // ethertype, version/IHL, TOS, total length and id in one read
        long head = Bytes.u64(f, off + EthernetFlyweight.ETHERTYPE_OFFSET);
        if (head >>> 40 != ((long) EthernetFlyweight.ETHERTYPE_IPV4 << 8 | 0x45)) {
            return -1;
        }
        long ipOff = off + EthernetFlyweight.HEADER_LENGTH;
        long addresses = Bytes.u64(f, ipOff + Ipv4Flyweight.SRC_OFFSET);
        int ports = Bytes.u32(f, ipOff + Ipv4Flyweight.MIN_HEADER_LENGTH + TcpFlyweight.SRC_PORT_OFFSET);
        return FlowTable.forwardHash(Bytes.u8(f, ipOff + Ipv4Flyweight.PROTOCOL_OFFSET), (int) (addresses >>> 32),
                ports >>> 16, (int) addresses, ports & 0xFFFF);
    }

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

    private long ipv4(MemorySegment f, long off, int len, long now, int hash) {
        if (len < EthernetFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.TRUNCATED);
        }
        long ipOff = off + EthernetFlyweight.HEADER_LENGTH;
        ip.wrap(f, ipOff);
        long head = ip.headWord();
        int ihl = Ipv4Flyweight.headerLengthOf(head);
        if (Ipv4Flyweight.versionOf(head) != 4 || ihl < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.BAD_HEADER);
        }
        int total = Ipv4Flyweight.totalLengthOf(head);
        if (total < ihl || EthernetFlyweight.HEADER_LENGTH + total > len) {
            return count(DropKind.TRUNCATED);
        }
        if (ihl > Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return count(DropKind.IP_OPTIONS);
        }
        if (Ipv4Flyweight.isFragmentOf(head)) {
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
                // data offset and flags in one read
                int doffFlags = Bytes.u16(f, l4 + TcpFlyweight.DATA_OFFSET_OFFSET);
                int doff = (doffFlags >>> 12) * 4;
                if (doff < TcpFlyweight.MIN_HEADER_LENGTH) {
                    return count(DropKind.BAD_HEADER);
                }
                if (doff > l4Len) {
                    return count(DropKind.TRUNCATED);
                }
                return l4(f, off, len, l4, l4Len, protocol, doffFlags & 0xFF, now, hash);
            }
            case Ipv4Flyweight.PROTO_UDP -> {
                int udpLen = l4Len < UdpFlyweight.HEADER_LENGTH ? -1 : Bytes.u16(f, l4 + UdpFlyweight.LENGTH_OFFSET);
                if (udpLen < UdpFlyweight.HEADER_LENGTH || udpLen > l4Len) {
                    return count(DropKind.TRUNCATED);
                }
                return l4(f, off, len, l4, udpLen, protocol, 0, now, hash);
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

    private long l4(MemorySegment f, long off, int len, long l4, int l4Len, int protocol, int tcpFlags, long now,
                    int hash) {
        long addresses = ip.addresses();
        int src = (int) (addresses >>> 32);
        int dst = (int) addresses;
        // both ports in one read: the same place in TCP and UDP
        int ports = Bytes.u32(f, l4 + TcpFlyweight.SRC_PORT_OFFSET);
        int sport = ports >>> 16;
        int dport = ports & 0xFFFF;
        int slot = rules.lookup(dst, dport, protocol);
        if (slot >= 0) {
            if (!ArpDecisions.answers(rules.slot(slot).claim.deadline, now)) {
                return count(DropKind.NOT_CLAIMED);
            }
            int h = hash >= 0 ? hash : FlowTable.forwardHash(protocol, src, sport, dst, dport);
            return forward(f, len, l4, l4Len, protocol, tcpFlags, slot, src, sport, dst, dport, h, now);
        }
        int id = flows.findReverse(protocol, src, sport, dst, dport);
        if (id >= 0) {
            return reverse(f, len, l4, l4Len, protocol, tcpFlags, id, src, dst, now);
        }
        return toVip(f, off, len, l4, l4Len, protocol, now);
    }

    private long forward(MemorySegment f, int len, long l4, int l4Len, int protocol, int tcpFlags, int slot,
                         int src, int sport, int vip, int vport, int hash, long now) {
        RuleState r = rules.slot(slot);
        int id = flows.findForward(hash, protocol, src, sport, vip, vport);
        // the common case (a flow bound to this rule version, no SYN) is decided inline; the rest out of line
        if (flows.bindingWordOrZero(id) != r.binding || (tcpFlags & TcpFlyweight.SYN) != 0) {
            id = establish(r, id, protocol, tcpFlags, src, sport, vip, vport, now);
            if (id < 0) {
                return count(ConnTrack.failure(id));
            }
        }
        track.touch(id, r, tcpFlags, true, now);
        r.packets++;
        r.bytes += l4Len + Ipv4Flyweight.MIN_HEADER_LENGTH;
        long epMac = flows.getLong(id, EP_MAC_OFFSET);
        if (r.mode == Mode.DSR) {
            rewriter.nextHop(f, l4, l4Len, protocol, epMac, src, vip);
        } else {
            long ep = flows.endpointWord(id);
            rewriter.nat(f, l4, l4Len, protocol, epMac, src, vip, flows.getInt(id, NAT_IP_OFFSET),
                    FlowTable.endpointIp(ep), FlowTable.natPort(ep), FlowTable.endpointPort(ep));
        }
        return Verdict.tx(len);
    }

    /**
     * The flow for a forward packet when the fast check in {@link #forward} did not settle it: revalidates a flow
     * bound to an older rule version, replaces a closed flow on a new SYN, or creates one. Returns its id or a
     * {@link ConnTrack#fail} code.
     */
    private int establish(RuleState r, int found, int protocol, int tcpFlags, int src, int sport, int vip, int vport,
                          long now) {
        int id = found;
        if (id >= 0 && track.ruleOf(id, r) == null) {
            id = -1;
        }
        if (id >= 0 && track.reopens(id, tcpFlags)) {
            // a new connection on the tuple of a closed one: a fresh flow (endpoint and NAT port chosen anew)
            track.end(id, r);
            id = -1;
        }
        if (id < 0) {
            id = track.create(r, protocol, src, sport, vip, vport, eth, now);
        }
        return id;
    }

    private long reverse(MemorySegment f, int len, long l4, int l4Len, int protocol, int tcpFlags, int id, int src,
                         int dst, long now) {
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
        rewriter.nat(f, l4, l4Len, protocol, flows.getLong(id, CLIENT_MAC_OFFSET), src, dst, vip,
                flows.getInt(id, CLIENT_IP_OFFSET), flows.getPort(id, VIP_PORT_OFFSET),
                flows.getPort(id, CLIENT_PORT_OFFSET));
        return Verdict.tx(len);
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
        rewriter.echoReply(f, off, icmp, l4, l4Len);
        return Verdict.tx(len);
    }

    private long count(DropKind kind) {
        return dropCounts.count(kind);
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
        return dropCounts.snapshot();
    }

    /** Count of one kind. */
    public long dropCount(DropKind kind) {
        return dropCounts.of(kind);
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
