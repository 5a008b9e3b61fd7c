package io.shardlb.agent.api;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.RuleSetAdapter;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseView;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.RulePort;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The agent's Prometheus metrics, read at scrape time from the live {@link AgentStatus} (callbacks, no copies):
 * lease state and remaining time, VIPs claimed, per-rule packets / bytes / active flows, drops by kind, plan
 * records skipped, claims not applied, log client errors. Written in the Prometheus text format by the client library.
 */
public final class AgentMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public AgentMetrics(AgentStatus status) {
        GaugeWithCallback.builder().name("shardlb_agent_lease_valid").help("1 while the agent holds a valid lease")
                .callback(cb -> cb.call(status.lease().phase() == LeasePhase.VALID ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_lease_state")
                .help("1 for the lease's current phase (pending, valid, lapsed), 0 for the others")
                .labelNames("phase").callback(cb -> {
                    LeasePhase now = status.lease().phase();
                    for (LeasePhase p : LeasePhase.values()) {
                        cb.call(p == now ? 1 : 0, p.name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_lease_remaining_seconds")
                .help("time left on the lease (0 unless valid)")
                .callback(cb -> cb.call(remainingSeconds(status.lease()))).register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_incarnation").help("the agent's current incarnation")
                .callback(cb -> cb.call(status.self() == null ? 0 : status.self().incarnation()))
                .register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_vips_claimed").help("VIPs claimed on the forwarder")
                .callback(cb -> cb.call(status.claimed().size())).register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_instances_held")
                .help("instances whose VIPs the agent may answer for now")
                .callback(cb -> cb.call(status.lease().holding().size())).register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_instance_master")
                .help("per instance the plan knows: 1 while this agent answers for it (master, lease valid), else 0")
                .labelNames("instance").callback(cb -> {
                    Set<String> held = new HashSet<>();
                    status.lease().holding().forEach(h -> held.add(h.instance()));
                    status.terms().keySet().forEach(i -> cb.call(held.contains(i) ? 1 : 0, i));
                }).register(registry);
        CounterWithCallback.builder().name("shardlb_agent_rule_packets").help("packets forwarded per rule")
                .labelNames("rule").callback(cb -> eachRule(status, (id, c) -> cb.call(c.packets(), id)))
                .register(registry);
        CounterWithCallback.builder().name("shardlb_agent_rule_bytes").help("bytes forwarded per rule")
                .labelNames("rule").callback(cb -> eachRule(status, (id, c) -> cb.call(c.bytes(), id)))
                .register(registry);
        GaugeWithCallback.builder().name("shardlb_agent_rule_active_flows").help("flows tracked per rule")
                .labelNames("rule").callback(cb -> eachRule(status, (id, c) -> cb.call(c.activeFlows(), id)))
                .register(registry);
        CounterWithCallback.builder().name("shardlb_agent_drops").help("packets or connections not forwarded")
                .labelNames("kind")
                .callback(cb -> {
                    Map<DropKind, Long> drops = status.drops();
                    for (DropKind k : DropKind.values()) { // every kind, 0 before its first drop
                        cb.call(drops.getOrDefault(k, 0L), k.name().toLowerCase(Locale.ROOT));
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("shardlb_log_client_errors")
                .help("log client operations that failed, by operation (open, append, read, offsets)")
                .labelNames("operation")
                .callback(cb -> status.logClientErrors().forEach((op, n) -> cb.call(n, op))).register(registry);
        CounterWithCallback.builder().name("shardlb_agent_plan_records_skipped")
                .help("plan records the agent could not apply (unknown type, newer version, bad values)")
                .callback(cb -> cb.call(status.unreadable())).register(registry);
        CounterWithCallback.builder().name("shardlb_agent_claim_failures")
                .help("VIP claims the forwarder did not apply as asked")
                .callback(cb -> cb.call(status.claimFailures())).register(registry);
    }

    private static double remainingSeconds(LeaseView view) {
        if (view.deadlineNanos() == LeaseView.NO_DEADLINE) {
            return 0;
        }
        return Math.max(0, view.deadlineNanos() - System.nanoTime()) / 1e9;
    }

    private static void eachRule(AgentStatus status, BiConsumer<String, RuleCounters> out) {
        for (Decision.RuleSet set : status.rules().values()) {
            for (RulePort p : set.ports()) {
                String id = RuleSetAdapter.ruleId(set.service(), p.port(), Protocol.parse(p.protocol()));
                out.accept(id, status.counters(id).orElse(RuleCounters.ZERO));
            }
        }
    }

    /** The content type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
