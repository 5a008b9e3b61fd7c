package io.shardlb.agent.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.RuleSetAdapter;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Holding;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The agent's state in loxilb's API shapes, so loxicmd-style tooling reads it: {@code /v1/ha} as
 * {@code {"Attr":[{instance,state,sync,vip}]}}, {@code /v1/ip} as {@code {"ipAttr":[{dev,ipAddress[]}]}},
 * {@code /v1/lb} as {@code {"lbAttr":[{serviceArguments,endpoints[]}]}}. Pure functions of an {@link AgentStatus}.
 */
public final class LoxiViews {
    private LoxiViews() {
    }

    /** One instance's HA state on this agent. {@code sync} is the instance's current term. */
    public record HaEntry(String instance, String state, long sync, String vip) {
    }

    /** {@code /v1/ha}. */
    public record Ha(@JsonProperty("Attr") List<HaEntry> attr) {
    }

    /** One device and the VIPs claimed on it, {@code a.b.c.d/32}. */
    public record IpEntry(String dev, List<String> ipAddress) {
    }

    /** {@code /v1/ip}. */
    public record Ip(List<IpEntry> ipAttr) {
    }

    /** A rule's service side, in loxilb's field names. */
    public record ServiceArguments(String externalIP, int port, String protocol, String name, int mark, String sel,
                                   String mode, int inactiveTimeOut, String monitor, String instance) {
    }

    /** One endpoint with the rule's counters (the forwarder counts per rule). */
    public record LbEndpoint(String endpointIP, int targetPort, int weight, String state, String counter) {
    }

    /** One rule (one port of a Service). */
    public record LbEntry(ServiceArguments serviceArguments, List<LbEndpoint> endpoints, long packets, long bytes,
                          long activeFlows) {
    }

    /** {@code /v1/lb}. */
    public record Lb(List<LbEntry> lbAttr) {
    }

    /** MASTER for each instance this incarnation holds now (term names it and lease valid), BACKUP otherwise. */
    public static Ha ha(AgentStatus status) {
        Set<String> held = status.lease().holding().stream().map(Holding::instance).collect(Collectors.toSet());
        List<HaEntry> out = new ArrayList<>();
        new TreeMap<>(status.terms()).forEach((instance, term) -> out.add(new HaEntry(instance,
                held.contains(instance) ? "MASTER" : "BACKUP", term.term(), firstVip(status, instance))));
        return new Ha(out);
    }

    private static String firstVip(AgentStatus status, String instance) {
        return status.rules().values().stream().filter(s -> instance.equals(s.instance()))
                .map(Decision.RuleSet::vip).sorted().findFirst().orElse("0.0.0.0");
    }

    /** Every claimed VIP as a /32 (/128) on the agent's interface. */
    public static Ip ip(AgentStatus status) {
        List<String> addresses = status.claimed().stream()
                .sorted(Comparator.comparing(InetAddress::getHostAddress))
                .map(a -> a.getHostAddress() + (a.getAddress().length == 4 ? "/32" : "/128")).toList();
        return new Ip(List.of(new IpEntry(status.iface(), addresses)));
    }

    /** Every rule in force, one entry per Service port, sorted by VIP, port and name. */
    public static Lb lb(AgentStatus status) {
        List<LbEntry> out = new ArrayList<>();
        for (Decision.RuleSet set : status.rules().values()) {
            for (RulePort p : set.ports()) {
                out.add(entry(status, set, p));
            }
        }
        out.sort(Comparator.comparing((LbEntry e) -> e.serviceArguments().externalIP())
                .thenComparingInt(e -> e.serviceArguments().port())
                .thenComparing(e -> e.serviceArguments().name()));
        return new Lb(out);
    }

    private static LbEntry entry(AgentStatus status, Decision.RuleSet set, RulePort p) {
        Protocol protocol = Protocol.parse(p.protocol());
        String id = RuleSetAdapter.ruleId(set.service(), p.port(), protocol);
        RuleCounters c = status.counters(id).orElse(RuleCounters.ZERO);
        String counter = c.packets() + ":" + c.bytes();
        List<LbEndpoint> eps = new ArrayList<>();
        for (RuleEndpoint e : set.endpoints()) {
            if (e.servicePort() == p.port() && Protocol.parse(e.protocol()) == protocol) {
                eps.add(new LbEndpoint(e.ip(), e.port(), 1, "active", counter));
            }
        }
        String name = ruleName(set.service(), set.instance());
        ServiceArguments args = new ServiceArguments(set.vip(), p.port(), protocol.name().toLowerCase(Locale.ROOT),
                name, 0, set.select().isEmpty() ? "hash" : set.select(), set.mode().isEmpty() ? "default" : set.mode(),
                set.timeoutSeconds(), "Off", set.instance());
        return new LbEntry(args, eps, c.packets(), c.bytes(), c.activeFlows());
    }

    /** loxilb's rule name: {@code namespace_name:instance} ({@code default_tcp-lb:llb-inst1}). */
    public static String ruleName(String service, String instance) {
        return service.replace('/', '_') + (instance.isEmpty() ? "" : ":" + instance);
    }
}
