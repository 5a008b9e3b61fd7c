package io.shardlb.cli;

import io.shardlb.agent.control.Agent;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics a user scrapes, after a real failover: the controller and two agents on the embedded broker, one
 * agent stopped; then {@code /metrics} of the controller and of the surviving agent must pass
 * {@code promtool check metrics} and show the failover (the controller counted it, with its detection time; the
 * survivor holds both instances).
 */
class MetricsScrapeTest {
    /** Every metric the issue names, as exposed by the controller. */
    static final List<String> CONTROLLER_METRICS = List.of("shardlb_controller_leader",
            "shardlb_planner_decision_latency_seconds_bucket", "shardlb_planner_lag_records",
            "shardlb_planner_facts_total", "shardlb_arbiter_agents_up", "shardlb_arbiter_failovers_total",
            "shardlb_arbiter_detection_seconds_bucket", "shardlb_bridge_reconciles_total",
            "shardlb_bridge_api_errors_total", "shardlb_bridge_facts_total", "shardlb_log_client_errors_total");
    /** Every metric the issue names, as exposed by an agent. */
    static final List<String> AGENT_METRICS = List.of("shardlb_agent_lease_state", "shardlb_agent_lease_valid",
            "shardlb_agent_lease_remaining_seconds", "shardlb_agent_vips_claimed", "shardlb_agent_instances_held",
            "shardlb_agent_instance_master", "shardlb_agent_rule_packets_total", "shardlb_agent_rule_bytes_total", "shardlb_agent_rule_active_flows",
            "shardlb_agent_drops_total", "shardlb_log_client_errors_total");

    @TempDir
    Path dir;
    private LiveCluster cluster;

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void controllerAndAgentScrapesPassPromtoolAndCountTheFailover() throws Exception {
        cluster = new LiveCluster(dir, KafkaFixture.logUri(), KafkaFixture.prefix("metrics"));
        ControllerProcess controller = cluster.startController(null);
        Agent a = cluster.startAgent("agent-a", LogOptions.defaults());
        Agent b = cluster.startAgent("agent-b", LogOptions.defaults());
        cluster.createService("svc-0", LiveCluster.INSTANCES[0]);
        cluster.createService("svc-1", LiveCluster.INSTANCES[1]);
        // two agents, two instances: rebalancing on join gives each agent one (the second agent is owed its share)
        Await.until(() -> "each agent masters one instance (svc-0: " + cluster.masterOf("svc-0") + ", svc-1: "
                + cluster.masterOf("svc-1") + ")", () -> !cluster.masterOf("svc-0").isEmpty()
                && !cluster.masterOf("svc-1").isEmpty() && !cluster.masterOf("svc-0").equals(cluster.masterOf("svc-1")));

        String victim = cluster.masterOf("svc-0");
        String survivor = victim.equals("agent-a") ? "agent-b" : "agent-a";
        Agent alive = victim.equals("agent-a") ? b : a;
        cluster.stopAgent(victim);
        Await.until("svc-0 fails over to " + survivor, () -> survivor.equals(cluster.masterOf("svc-0")));
        // at least: on a loaded machine an agent's lease may also lapse now and then (a new incarnation follows),
        // so the counts may be higher; the stopped agent's own AgentDown is always among them
        awaitSample(controller.metricsPort(), "shardlb_arbiter_failovers_total{cause=\"silent\"}", n -> n >= 1);
        awaitSample(alive.apiPort(), "shardlb_agent_instances_held", n -> n == 2);

        String controllerScrape = scrape(controller.metricsPort());
        Promtool.check("controller", controllerScrape, dir);
        CONTROLLER_METRICS.forEach(m -> assertTrue(controllerScrape.contains("\n" + m), m + " in\n" + controllerScrape));
        double downs = value(controllerScrape, "shardlb_arbiter_detection_seconds_count");
        assertTrue(downs >= 1, "every AgentDown has its detection time: " + downs);
        double meanDetection = value(controllerScrape, "shardlb_arbiter_detection_seconds_sum") / downs;
        assertTrue(meanDetection >= 0.5 && meanDetection < 30,
                "lease 400 ms + margin 200 ms at least, seconds at most: " + meanDetection);
        assertTrue(value(controllerScrape, "shardlb_arbiter_agents_up") >= 1);
        assertEquals(1, value(controllerScrape, "shardlb_controller_leader"));

        String agentScrape = scrape(alive.apiPort());
        Promtool.check("agent", agentScrape, dir);
        AGENT_METRICS.forEach(m -> assertTrue(agentScrape.contains("\n" + m), m + " in\n" + agentScrape));
        assertEquals(1, value(agentScrape, "shardlb_agent_lease_state{phase=\"pending\"}")
                + value(agentScrape, "shardlb_agent_lease_state{phase=\"valid\"}")
                + value(agentScrape, "shardlb_agent_lease_state{phase=\"lapsed\"}"), "exactly one phase");
        Set<String> scraped = Dashboard.sampleNames(controllerScrape);
        scraped.addAll(Dashboard.sampleNames(agentScrape));
        for (String m : Dashboard.metrics(Dashboard.read())) {
            assertTrue(scraped.contains(m), "the dashboard's " + m + " is in neither scrape");
        }
        for (String svc : List.of("svc-0", "svc-1")) {
            assertTrue(agentScrape.contains("shardlb_agent_rule_packets_total{rule=\"default/" + svc),
                    "per-rule counters of " + svc + " on the survivor:\n" + agentScrape);
        }
    }

    /** Waits until the sample's value passes {@code expected}; on time-out fails showing the last scrape. */
    static void awaitSample(int port, String sample, DoublePredicate expected) {
        String[] last = {""};
        try {
            Await.until(sample, () -> expected.test(value(last[0] = scrape(port), sample)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last scrape:\n" + last[0], e);
        }
    }

    static String scrape(int port) {
        try {
            var r = LiveCluster.get(port, "/metrics");
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (Exception e) {
            throw new AssertionError("cannot scrape 127.0.0.1:" + port, e);
        }
    }

    /** The value of the sample named exactly {@code sample} (name plus labels), NaN when absent. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
