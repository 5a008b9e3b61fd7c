package io.shardlb.cli;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.shardlb.arbiter.DownCause;
import io.shardlb.events.log.ErrorCountingLog;
import io.shardlb.events.schema.Fact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The controller's Prometheus metrics, on a registry of its own (two controllers in one test JVM never mix).
 * Names follow Prometheus conventions: a counter's exposed name ends in {@code _total}.
 */
final class ControllerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** 1 while this process leads. */
    final Gauge leader = Gauge.builder().name("shardlb_controller_leader")
            .help("1 while this controller holds the Lease").register(registry);
    /** Time to answer one poll of facts: planner steps plus the fenced write of the decisions. */
    final Histogram plannerLatency = Histogram.builder().name("shardlb_planner_decision_latency_seconds")
            .help("time from reading a poll of facts to its decisions committed in the plan")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    /** Facts the planner has not yet answered. */
    final Gauge plannerLag = Gauge.builder().name("shardlb_planner_lag_records")
            .help("events records after the last one the planner answered").register(registry);
    /** Facts the planner answered. */
    final Counter plannerFacts = Counter.builder().name("shardlb_planner_facts_total")
            .help("facts the planner answered").register(registry);
    /** Agent incarnations the arbiter holds Up. */
    final Gauge agentsUp = Gauge.builder().name("shardlb_arbiter_agents_up")
            .help("agent incarnations the arbiter holds Up (0 on a standby)").register(registry);
    /** Agents declared Down, by {@link DownCause}: each moves the instances it mastered to a backup. */
    final Counter failovers = Counter.builder().name("shardlb_arbiter_failovers_total")
            .help("agents the arbiter declared Down (their instances fail over), by cause")
            .labelNames("cause").register(registry);
    /**
     * From an agent's last beat to its AgentDown, both as the broker stamped them (log append time), so one
     * clock: lease + margin + the time to read every heartbeats partition to its end.
     */
    final Histogram detection = Histogram.builder().name("shardlb_arbiter_detection_seconds")
            .help("time from an agent's last beat to its AgentDown, by broker log time")
            .classicUpperBounds(0.25, 0.5, 0.6, 0.7, 0.8, 1, 1.25, 1.5, 2, 3, 5, 10)
            .register(registry);
    /** Failures of the Kafka clients (each is retried or answered by stepping down; a rate says the log ails). */
    final Counter logErrors = Counter.builder().name("shardlb_log_client_errors_total")
            .help("log client operations that failed, by operation (open, append, read, offsets)")
            .labelNames("operation").register(registry);
    /** Reconciles by outcome. */
    final Counter reconciles = Counter.builder().name("shardlb_bridge_reconciles_total")
            .help("Service reconciles by outcome (noop, patched, gone, failed)").labelNames("outcome")
            .register(registry);
    /** Kubernetes API errors met while reconciling (the plan is the source; they are retried). */
    final Counter apiErrors = Counter.builder().name("shardlb_bridge_api_errors_total")
            .help("reconciles that ended in a Kubernetes API error").register(registry);
    /** Facts the bridge wrote. */
    final Counter bridgeFacts = Counter.builder().name("shardlb_bridge_facts_total")
            .help("facts the bridge wrote to events").register(registry);

    ControllerMetrics() {
        // every label value shows 0 from the start: a dashboard's rate() needs the series before the first event
        for (DownCause c : DownCause.values()) {
            failovers.initLabelValues(c.label());
        }
        ErrorCountingLog.OPERATIONS.forEach(logErrors::initLabelValues);
    }

    /** Counts one AgentDown the log acknowledged at broker time {@code loggedAtMs}. */
    void onAgentDown(Fact.AgentDown down, long loggedAtMs) {
        failovers.labelValues(DownCause.of(down).label()).inc();
        if (down.lastBeatAt() > 0 && loggedAtMs >= down.lastBeatAt()) {
            detection.observe((loggedAtMs - down.lastBeatAt()) / 1e3);
        }
    }

    /** The Prometheus text exposition of every metric. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape}. */
    String contentType() {
        return writer.getContentType();
    }
}
