package io.shardlb.agent.engine;

import io.shardlb.agent.forwarder.Cidr;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.EndpointChooser;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.ServiceRule;
import java.util.List;

/**
 * One version of a rule as the datapath reads it: flat arrays, no collections. {@code identity} stays the same
 * across upserts of one rule id; {@code version} changes with each upsert, so a flow can tell that its rule
 * changed and check that its endpoint still exists. Counters live here and are carried over to new versions.
 */
final class RuleState {
    final ServiceRule rule;
    final int identity;
    final int version;
    /** {@link FlowTable#bindingWord(int, int)} of this identity and version: one compare per packet. */
    final long binding;
    final int vip;
    final int port;
    final int protocol;
    final Mode mode;
    final long timeoutNanos;
    final int[] srcNet;
    final int[] srcMask;
    final int[] epIp;
    final int[] epPort;
    final long[] epMac;
    final EndpointChooser chooser;
    /** The VIP's claim, shared with every rule on that VIP: read per packet without a map lookup. */
    final VipClaim claim;
    private final boolean allowAll;
    long packets;
    long bytes;
    long activeFlows;

    /** A VIP's claim deadline ({@link RuleBook#NOT_CLAIMED} when unclaimed), one object per VIP. */
    static final class VipClaim {
        long deadline = RuleBook.NOT_CLAIMED;
    }

    RuleState(ServiceRule rule, int identity, int version, VipClaim claim) {
        this.rule = rule;
        this.claim = claim;
        this.identity = identity;
        this.version = version;
        this.binding = FlowTable.bindingWord(identity, version);
        this.vip = io.shardlb.agent.forwarder.Addresses.toInt(rule.vip());
        this.port = rule.port();
        this.protocol = rule.protocol().number();
        this.mode = rule.mode();
        this.timeoutNanos = rule.inactivityTimeout().toNanos();
        List<Cidr> ranges = rule.sourceRanges().stream().filter(Cidr::isIpv4).toList();
        this.srcNet = ranges.stream().mapToInt(Cidr::ipv4Network).toArray();
        this.srcMask = ranges.stream().mapToInt(Cidr::ipv4Mask).toArray();
        List<Endpoint> eps = rule.endpoints();
        this.epIp = eps.stream().mapToInt(Endpoint::ipv4).toArray();
        this.epPort = eps.stream().mapToInt(Endpoint::port).toArray();
        this.epMac = eps.stream().mapToLong(e -> e.mac().value()).toArray();
        this.chooser = new EndpointChooser(eps, rule.selection());
        // an IPv6-only source list on an IPv4 rule allows no IPv4 source at all
        this.allowAll = rule.sourceRanges().isEmpty();
    }

    /** True if the rule accepts this IPv4 source. */
    boolean allows(int src) {
        if (allowAll) {
            return true;
        }
        for (int i = 0; i < srcNet.length; i++) {
            if ((src & srcMask[i]) == srcNet[i]) {
                return true;
            }
        }
        return false;
    }

    /** Index of endpoint ip:port, or -1. */
    int indexOf(int ip, int p) {
        for (int i = 0; i < epIp.length; i++) {
            if (epIp[i] == ip && epPort[i] == p) {
                return i;
            }
        }
        return -1;
    }

    /** Carries counters and per-endpoint load from the previous version. */
    void inherit(RuleState old) {
        packets = old.packets;
        bytes = old.bytes;
        activeFlows = old.activeFlows;
        int[] map = new int[old.epIp.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = indexOf(old.epIp[i], old.epPort[i]);
        }
        chooser.inheritActive(old.chooser, map);
    }
}
