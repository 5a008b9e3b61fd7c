package io.shardlb.agent.control;

import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted agent with the log stopped has its rules back from the journal before it reaches the log, claims
 * nothing (no lease in the new incarnation), and its API says so.
 */
class AgentJournalTest {
    @TempDir
    Path dir;

    @Test
    void rulesComeBackFromTheJournalWithoutTheLogAndNothingIsClaimed() throws Exception {
        Path journal = dir.resolve("journal");
        try (ChronicleEventLog j = new ChronicleEventLog(journal, ChronicleOptions.DEFAULTS)) {
            j.appendCopy(entry(3, new Decision.InstanceMastered("default", new AgentRef("a", 1), 1, List.of(), "")));
            j.appendCopy(entry(7, rule("default/web", "127.0.80.250", 80)));
            j.appendCopy(entry(8, rule("default/dns", "127.0.80.251", 53)));
            j.appendCopy(entry(9, new Decision.RuleRemoved("default/dns")));
            j.appendCopy(entry(12, rule("default/tcp-lb", "127.0.80.252", 8080)));
        }
        AgentConfig config = new AgentConfig("a", "kafka://127.0.0.1:9", "shardlb.", "lo", ForwarderKind.PROXY,
                "127.0.0.1", 0, journal, Duration.ofSeconds(1), LeaseSettings.DEFAULTS);
        ProxyForwarder forwarder = ProxyForwarder.start(ProxyConfig.defaults());
        try (Agent agent = Agent.start(config, forwarder, () -> {
            throw new LogException("log stopped");
        })) {
            assertEquals(2, agent.journalRules());
            assertTrue(forwarder.counters("default/web/80/tcp").isPresent());
            assertTrue(forwarder.counters("default/tcp-lb/8080/tcp").isPresent());
            assertTrue(forwarder.counters("default/dns/53/tcp").isEmpty());
            assertEquals(List.of(), List.copyOf(agent.claimed()));
            String base = "http://127.0.0.1:" + agent.apiPort();
            assertEquals(503, get(base + "/readyz").statusCode());
            assertEquals(200, get(base + "/healthz").statusCode());
            String lb = get(base + "/v1/lb").body();
            assertTrue(lb.contains("default_tcp-lb:default") && lb.contains("127.0.80.250"), lb);
            String metrics = get(base + "/metrics").body();
            assertTrue(metrics.contains("shardlb_agent_lease_valid 0"), metrics);
            assertTrue(metrics.contains("shardlb_agent_rule_packets_total{rule=\"default/web/80/tcp\"} 0"), metrics);
            assertEquals(405, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/lb"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    private static Decision.RuleSet rule(String service, String vip, int port) {
        return new Decision.RuleSet(service, vip, List.of(new RulePort(port, "TCP")), "onearm", "hash", 0, List.of(),
                List.of(new RuleEndpoint(port, "TCP", "127.0.0.1", 9999)), "default");
    }

    private static LogEntry entry(long offset, Decision d) {
        return new LogEntry(Topic.PLAN, 0, offset, Envelope.decision(d, "planner", offset).withLogTime(1L));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
