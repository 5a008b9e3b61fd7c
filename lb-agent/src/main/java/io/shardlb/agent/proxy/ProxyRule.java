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
    /**
     * Built on the first flow, not at upsert: a Maglev table costs about 65,537 × endpoints steps and 256 KiB, and
     * an agent programs every Service's rule (a backup has them ready) — 10,000 rules at a restart — while only the
     * claimed VIPs' rules ever see a flow.
     */
    private EndpointChooser chooser;
    /** The latest earlier version whose chooser was built (to inherit flow counts from), else null: no chain. */
    private ProxyRule previous;
    /** Shared by every version of the rule, so flows started under an older version count right. */
    final AtomicLong packets;
    final AtomicLong bytes;
    final AtomicLong activeFlows;

    ProxyRule(ServiceRule rule, ProxyRule previous) {
        this.rule = rule;
        this.previous = previous == null || previous.chooser != null ? previous : previous.previous;
        this.packets = previous == null ? new AtomicLong() : previous.packets;
        this.bytes = previous == null ? new AtomicLong() : previous.bytes;
        this.activeFlows = previous == null ? new AtomicLong() : previous.activeFlows;
    }

    /** The chooser, built on first use; it inherits the active-flow counts of the version it replaced. */
    EndpointChooser chooser() {
        if (chooser == null) {
            chooser = new EndpointChooser(rule.endpoints(), rule.selection());
            ProxyRule old = previous;
            previous = null;
            if (old != null) {
                int[] map = new int[old.rule.endpoints().size()];
                for (int i = 0; i < map.length; i++) {
                    map[i] = rule.endpoints().indexOf(old.rule.endpoints().get(i));
                }
                chooser.inheritActive(old.chooser, map);
            }
        }
        return chooser;
    }

    /** The endpoint index for a new flow from {@code client}, or -1. */
    int choose(InetSocketAddress client) {
        int src = client.getAddress() instanceof Inet4Address a ? Addresses.toInt(a) : client.getAddress().hashCode();
        int vip = rule.vip() instanceof Inet4Address v ? Addresses.toInt(v) : rule.vip().hashCode();
        return chooser().choose(Hashing.flowHash(src, client.getPort(), vip, rule.port(), rule.protocol().number()),
                Hashing.sourceHash(src));
    }

    /** A flow on {@code e} ended (it may have started under an older version of the rule). */
    void flowEnded(Endpoint e) {
        activeFlows.decrementAndGet();
        int i = rule.endpoints().indexOf(e);
        if (i >= 0) {
            chooser().flowEnded(i);
        }
    }

    /** A flow started on endpoint {@code i}. */
    void flowStarted(int i) {
        activeFlows.incrementAndGet();
        chooser().flowStarted(i);
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
