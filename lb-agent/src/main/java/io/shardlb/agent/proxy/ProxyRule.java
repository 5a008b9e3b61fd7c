package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.EndpointChooser;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.agent.maglev.Hashing;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule as the proxy loop holds it: the rule, its endpoint chooser (the same selection as the packet engine)
 * and counters readable from any thread. Only the loop thread mutates it.
 */
final class ProxyRule {
    final ServiceRule rule;
    final EndpointChooser chooser;
    /** Shared by every version of the rule, so flows started under an older version count right. */
    final AtomicLong packets;
    final AtomicLong bytes;
    final AtomicLong activeFlows;

    ProxyRule(ServiceRule rule, ProxyRule previous) {
        this.rule = rule;
        this.chooser = new EndpointChooser(rule.endpoints(), rule.selection());
        this.packets = previous == null ? new AtomicLong() : previous.packets;
        this.bytes = previous == null ? new AtomicLong() : previous.bytes;
        this.activeFlows = previous == null ? new AtomicLong() : previous.activeFlows;
        if (previous != null) {
            int[] map = new int[previous.rule.endpoints().size()];
            for (int i = 0; i < map.length; i++) {
                map[i] = rule.endpoints().indexOf(previous.rule.endpoints().get(i));
            }
            chooser.inheritActive(previous.chooser, map);
        }
    }

    /** The endpoint index for a new flow from {@code client}, or -1. */
    int choose(InetSocketAddress client) {
        int src = client.getAddress() instanceof Inet4Address a ? Addresses.toInt(a) : client.getAddress().hashCode();
        int vip = rule.vip() instanceof Inet4Address v ? Addresses.toInt(v) : rule.vip().hashCode();
        return chooser.choose(Hashing.flowHash(src, client.getPort(), vip, rule.port(), rule.protocol().number()),
                Hashing.sourceHash(src));
    }

    /** A flow on {@code e} ended (it may have started under an older version of the rule). */
    void flowEnded(Endpoint e) {
        activeFlows.decrementAndGet();
        int i = rule.endpoints().indexOf(e);
        if (i >= 0) {
            chooser.flowEnded(i);
        }
    }

    /** A flow started on endpoint {@code i}. */
    void flowStarted(int i) {
        activeFlows.incrementAndGet();
        chooser.flowStarted(i);
    }

    Endpoint endpoint(int index) {
        return rule.endpoints().get(index);
    }

    /** Local address for the backend connection: the VIP in fullnat (loopback lets us bind it), else any. */
    InetSocketAddress backendSource() {
        return rule.mode() == Mode.FULLNAT ? new InetSocketAddress(rule.vip(), 0) : null;
    }

    InetSocketAddress listenAddress() {
        return new InetSocketAddress(rule.vip(), rule.port());
    }

    InetAddress vip() {
        return rule.vip();
    }

    void counted(int n) {
        packets.incrementAndGet();
        bytes.addAndGet(n);
    }

    RuleCounters counters() {
        return new RuleCounters(packets.get(), bytes.get(), activeFlows.get());
    }
}
