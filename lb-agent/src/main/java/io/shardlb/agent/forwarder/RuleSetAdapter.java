package io.shardlb.agent.forwarder;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a planner {@link Decision.RuleSet} (one Service, several ports) into forwarder rules, one per port and
 * protocol, with ids {@code service/port/protocol}.
 */
public final class RuleSetAdapter {
    private RuleSetAdapter() {
    }

    /** The rule id of one port of a Service. */
    public static String ruleId(String service, int port, Protocol protocol) {
        return service + "/" + port + "/" + protocol.name().toLowerCase(Locale.ROOT);
    }

    /** The rules of a RuleSet; endpoints are matched to a port by servicePort and protocol. */
    public static List<ServiceRule> rules(Decision.RuleSet set) {
        InetAddress vip = Addresses.parse(set.vip());
        Mode mode = Mode.parse(set.mode());
        Selection selection = Selection.parse(set.select());
        Duration timeout = Duration.ofSeconds(Math.max(0, set.timeoutSeconds()));
        List<Cidr> ranges = set.sourceRanges().stream().map(Cidr::parse).toList();
        List<ServiceRule> out = new ArrayList<>();
        for (RulePort p : set.ports()) {
            Protocol protocol = Protocol.parse(p.protocol());
            List<Endpoint> eps = new ArrayList<>();
            for (RuleEndpoint e : set.endpoints()) {
                if (e.servicePort() == p.port() && Protocol.parse(e.protocol()) == protocol) {
                    eps.add(Endpoint.of(e.ip(), e.port()));
                }
            }
            out.add(new ServiceRule(ruleId(set.service(), p.port(), protocol), vip, p.port(), protocol, mode,
                    selection, timeout, ranges, eps));
        }
        return out;
    }

    /** The rule ids a RuleSet produces (to remove them on RuleRemoved, keep the last RuleSet per Service). */
    public static List<String> ruleIds(Decision.RuleSet set) {
        return set.ports().stream().map(p -> ruleId(set.service(), p.port(), Protocol.parse(p.protocol())))
                .toList();
    }
}
