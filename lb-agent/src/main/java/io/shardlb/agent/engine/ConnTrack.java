package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.FlowTable.CLIENT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.CLIENT_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.ENDPOINT_INDEX_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_MAC_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EP_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.EXPIRES_AT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.NAT_IP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.NAT_PORT_OFFSET;
import static io.shardlb.agent.engine.FlowTable.PROTOCOL_OFFSET;
import static io.shardlb.agent.engine.FlowTable.RULE_ID_OFFSET;
import static io.shardlb.agent.engine.FlowTable.RULE_VERSION_OFFSET;
import static io.shardlb.agent.engine.FlowTable.TCP_STATE_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_OFFSET;
import static io.shardlb.agent.engine.FlowTable.VIP_PORT_OFFSET;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.maglev.Hashing;
import org.agrona.collections.Long2LongHashMap;

/**
 * Flow lifecycle over the {@link FlowTable}: creation (source check, endpoint choice, neighbour, NAT port), the
 * TCP close state, expiry, and revalidation when the rule changed.
 *
 * <p>Policies: a flow keeps its endpoint across rule upserts as long as that endpoint (ip, port) is still in the
 * rule, the mode is unchanged and its source is still allowed; otherwise the flow ends and the next packet picks
 * anew (a TCP client then gets a RST from the new backend instead of silence). A flow lives until {@code
 * expiresAt}: the rule's inactivity timeout after its last packet, {@code finTimeout} once a FIN was seen, and
 * {@code rstTimeout} once a RST was seen; a client SYN without ACK on a closed flow (both FINs or a RST seen) is
 * a new connection reusing the tuple and gets a new flow, on a half-closed one it restarts the flow in place. A
 * NAT port still held by a closed or expired flow is taken over when no free port turns up among the probes. When the table is full a new flow first reclaims an expired or stale one found within {@link
 * #RECLAIM_SCAN} entries of the clock hand; if none, the new flow is dropped ({@code FLOW_TABLE_FULL}) and
 * existing flows are never evicted.
 */
final class ConnTrack {
    static final int CLIENT_FIN = 1;
    static final int BACKEND_FIN = 2;
    static final int RST_SEEN = 4;
    /** Entries examined for a reclaimable flow when the table is full. */
    static final int RECLAIM_SCAN = 64;
    /** Ports tried for a new SNAT source port before giving up. */
    static final int NAT_PROBES = 64;

    private final FlowTable table;
    private final RuleBook rules;
    private final EngineConfig config;
    private final Long2LongHashMap neighbours;
    private final long finNanos;
    private final long rstNanos;

    ConnTrack(FlowTable table, RuleBook rules, EngineConfig config, Long2LongHashMap neighbours) {
        this.table = table;
        this.rules = rules;
        this.config = config;
        this.neighbours = neighbours;
        this.finNanos = config.finTimeout().toNanos();
        this.rstNanos = config.rstTimeout().toNanos();
    }

    /** Encodes a failed creation as a negative int. */
    static int fail(DropKind kind) {
        return -1 - kind.ordinal();
    }

    /** Decodes {@link #fail}. */
    static DropKind failure(int code) {
        return DropKind.values()[-1 - code];
    }

    /**
     * Creates a flow for a packet to rule {@code r} ({@code frame} wraps its Ethernet header, read here rather
     * than by the caller to keep the per-packet path small); returns its id or a {@link #fail} code.
     */
    int create(RuleState r, int protocol, int src, int sport, int vip, int vport, EthernetFlyweight frame, long now) {
        if (!r.allows(src)) {
            return fail(DropKind.SOURCE_NOT_ALLOWED);
        }
        int ep = r.chooser.choose(Hashing.flowHash(src, sport, vip, vport, protocol), Hashing.sourceHash(src));
        if (ep < 0) {
            return fail(DropKind.NO_ENDPOINT);
        }
        long epMac = r.epMac[ep] != -1L ? r.epMac[ep] : neighbours.get(r.epIp[ep] & 0xFFFF_FFFFL);
        if (epMac == -1L) {
            return fail(DropKind.NO_NEIGHBOUR);
        }
        int natIp = switch (r.mode) {
            case DEFAULT, DSR -> src;
            case ONEARM -> config.agentIp();
            case FULLNAT -> vip;
        };
        int natPort = natPortFor(r, protocol, ep, natIp, sport, Hashing.flowHash(src, sport, vip, vport, protocol),
                now);
        if (natPort < 0) {
            return fail(DropKind.NAT_PORTS_EXHAUSTED);
        }
        if (!table.hasRoom() && !reclaim(now)) {
            return fail(DropKind.FLOW_TABLE_FULL);
        }
        int id = table.insert(protocol, src, sport, vip, vport);
        table.putByte(id, TCP_STATE_OFFSET, 0);
        table.putPort(id, ENDPOINT_INDEX_OFFSET, ep);
        table.putInt(id, EP_IP_OFFSET, r.epIp[ep]);
        table.putPort(id, EP_PORT_OFFSET, r.epPort[ep]);
        table.putInt(id, NAT_IP_OFFSET, natIp);
        table.putPort(id, NAT_PORT_OFFSET, natPort);
        table.putLong(id, CLIENT_MAC_OFFSET, frame.src());
        table.putLong(id, EP_MAC_OFFSET, epMac);
        bind(id, r, ep);
        table.putLong(id, EXPIRES_AT_OFFSET, now + r.timeoutNanos);
        table.indexReverse(id);
        r.activeFlows++;
        r.chooser.flowStarted(ep);
        return id;
    }

    private void bind(int id, RuleState r, int ep) {
        table.putInt(id, RULE_ID_OFFSET, r.identity);
        table.putInt(id, RULE_VERSION_OFFSET, r.version);
        table.putPort(id, ENDPOINT_INDEX_OFFSET, ep);
    }

    private int natPortFor(RuleState r, int protocol, int ep, int natIp, int sport, int hash, long now) {
        if (r.mode == Mode.DSR) {
            return sport;
        }
        if (r.mode == Mode.DEFAULT) {
            // the client's own port: taken only if another rule's live flow already sends this client there
            int holder = table.findReverse(protocol, r.epIp[ep], r.epPort[ep], natIp, sport);
            if (holder < 0) {
                return sport;
            }
            return reclaimable(holder, now) ? endHolder(holder, sport) : -1;
        }
        NatPortRange range = config.natPorts();
        int span = range.size();
        int start = (hash & 0x7FFF_FFFF) % span;
        int spare = -1;
        int spareHolder = -1;
        for (int i = 0; i < NAT_PROBES && i < span; i++) {
            int port = range.first() + (start + i) % span;
            int holder = table.findReverse(protocol, r.epIp[ep], r.epPort[ep], natIp, port);
            if (holder < 0) {
                return port;
            }
            if (spareHolder < 0 && reclaimable(holder, now)) {
                spare = port;
                spareHolder = holder;
            }
        }
        // no free port among the probes: take one from a flow that is over (both FINs or a RST seen, or expired)
        // rather than refuse the connection; new connections per request would otherwise be capped at
        // ports / finTimeout
        return spareHolder >= 0 ? endHolder(spareHolder, spare) : -1;
    }

    /** True if the flow may give up its tuple now: closed both ways, reset, or expired. */
    private boolean reclaimable(int id, long now) {
        return closed(id) || expired(id, now);
    }

    /** True once both sides sent a FIN or a RST was seen: only stray retransmissions can follow. */
    boolean closed(int id) {
        int state = table.getByte(id, TCP_STATE_OFFSET);
        return (state & RST_SEEN) != 0 || (state & (CLIENT_FIN | BACKEND_FIN)) == (CLIENT_FIN | BACKEND_FIN);
    }

    /** True if a packet with {@code tcpFlags} from the client opens a new connection on a closed flow's tuple. */
    boolean reopens(int id, int tcpFlags) {
        return (tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.ACK)) == TcpFlyweight.SYN && closed(id);
    }

    private int endHolder(int id, int port) {
        RuleState r = currentRule(id);
        end(id, r != null && r.identity == table.getInt(id, RULE_ID_OFFSET) ? r : null);
        return port;
    }

    /** {@link #ruleOf(int)} with a fast path when the flow is bound to {@code known}, as it usually is. */
    RuleState ruleOf(int id, RuleState known) {
        if (table.bindingWord(id) == known.binding) {
            return known;
        }
        return ruleOf(id);
    }

    /** The rule of a flow if the flow is still valid (revalidated after upserts), else ends it and returns null. */
    RuleState ruleOf(int id) {
        RuleState r = currentRule(id);
        if (r == null || r.identity != table.getInt(id, RULE_ID_OFFSET)) {
            end(id, null);
            return null;
        }
        if (r.version == table.getInt(id, RULE_VERSION_OFFSET)) {
            return r;
        }
        RuleState old = r;
        int ep = r.indexOf(table.getInt(id, EP_IP_OFFSET), table.getPort(id, EP_PORT_OFFSET));
        boolean sameNat = table.getInt(id, NAT_IP_OFFSET) == expectedNatIp(r, id);
        if (ep < 0 || !sameNat || !r.allows(table.getInt(id, CLIENT_IP_OFFSET))) {
            end(id, old);
            return null;
        }
        bind(id, r, ep);
        if (r.epMac[ep] != -1L) {
            table.putLong(id, EP_MAC_OFFSET, r.epMac[ep]);
        }
        return r;
    }

    private int expectedNatIp(RuleState r, int id) {
        return switch (r.mode) {
            case DEFAULT, DSR -> table.getInt(id, CLIENT_IP_OFFSET);
            case ONEARM -> config.agentIp();
            case FULLNAT -> r.vip;
        };
    }

    /** Ends a flow; {@code r} is its current rule (null when the rule is gone: nothing to decrement). */
    void end(int id, RuleState r) {
        if (r != null) {
            r.activeFlows--;
            // the stored index belongs to the version the flow was bound to; find the endpoint in this one
            int ep = r.version == table.getInt(id, RULE_VERSION_OFFSET) ? table.getPort(id, ENDPOINT_INDEX_OFFSET)
                    : r.indexOf(table.getInt(id, EP_IP_OFFSET), table.getPort(id, EP_PORT_OFFSET));
            if (ep >= 0) {
                r.chooser.flowEnded(ep);
            }
        }
        table.remove(id);
    }

    /** Updates TCP close state and the expiry after a packet in either direction. */
    void touch(int id, RuleState r, int tcpFlags, boolean fromClient, long now) {
        int before = table.getByte(id, TCP_STATE_OFFSET);
        int state = before;
        if (fromClient && (tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.ACK)) == TcpFlyweight.SYN) {
            state = 0;
        }
        if ((tcpFlags & TcpFlyweight.FIN) != 0) {
            state |= fromClient ? CLIENT_FIN : BACKEND_FIN;
        }
        if ((tcpFlags & TcpFlyweight.RST) != 0) {
            state |= RST_SEEN;
        }
        if (state != before) {
            table.putByte(id, TCP_STATE_OFFSET, state);
        }
        long ttl = (state & RST_SEEN) != 0 ? rstNanos : state != 0 ? finNanos : r.timeoutNanos;
        table.putLong(id, EXPIRES_AT_OFFSET, now + ttl);
    }

    /** True if the flow's expiry is before {@code now}. */
    boolean expired(int id, long now) {
        return table.getLong(id, EXPIRES_AT_OFFSET) - now < 0;
    }

    /** Ends the flow if it expired or its rule is gone; returns true if it ended. */
    boolean endIfDead(int id, long now) {
        RuleState r = currentRule(id);
        boolean stale = r == null || r.identity != table.getInt(id, RULE_ID_OFFSET);
        if (stale || expired(id, now)) {
            end(id, stale ? null : r);
            return true;
        }
        return false;
    }

    private boolean reclaim(long now) {
        for (int n = 0; n < RECLAIM_SCAN; n++) {
            int id = table.advanceHand();
            if (table.inUse(id) && endIfDead(id, now)) {
                return true;
            }
        }
        return false;
    }

    /** The rule now installed for the flow's VIP, port and protocol (maybe another rule than the flow's). */
    private RuleState currentRule(int id) {
        int slot = rules.lookup(table.getInt(id, VIP_OFFSET), table.getPort(id, VIP_PORT_OFFSET),
                table.getByte(id, PROTOCOL_OFFSET));
        return slot < 0 ? null : rules.slot(slot);
    }

    /** Examines up to {@code budget} entries, ending dead flows; returns how many ended. */
    int sweep(long now, int budget) {
        int ended = 0;
        for (int n = 0; n < budget; n++) {
            int id = table.advanceHand();
            if (table.inUse(id) && endIfDead(id, now)) {
                ended++;
            }
        }
        return ended;
    }
}
