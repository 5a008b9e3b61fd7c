package io.shardlb.cli;

import io.shardlb.agent.control.Agent;
import io.shardlb.agent.control.AgentConfig;
import io.shardlb.agent.control.ForwarderKind;
import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.EventLogs;
import io.shardlb.events.kafka.KafkaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe paths the Helm chart gives the agent DaemonSet answer 200 on a running agent (real agent, real
 * broker): a chart whose probes named a path the agent does not serve would restart every agent forever.
 */
class ChartProbesTest {
    private static final Path DAEMONSET = Path.of("..", "charts", "shardlb", "templates", "agent-daemonset.yaml");

    @TempDir
    Path journal;

    @Test
    void theChartsAgentProbePathsAnswerOnARunningAgent() throws Exception {
        List<String> paths = probePaths(Files.readString(DAEMONSET));
        assertEquals(List.of("/readyz", "/healthz"), paths, "readiness then liveness probe in the chart");
        String prefix = KafkaFixture.prefix("probes");
        AgentConfig config = new AgentConfig("probe-agent", KafkaFixture.logUri(), prefix, "lo",
                ForwarderKind.PROXY, "127.0.0.1", 0, journal, Duration.ofSeconds(1), LeaseSettings.DEFAULTS);
        try (Agent agent = Agent.start(config, ProxyForwarder.start(ProxyConfig.defaults()),
                () -> EventLogs.open(KafkaFixture.logUri(), KafkaFixture.options("probes")))) {
            String base = "http://127.0.0.1:" + agent.apiPort();
            HttpClient http = HttpClient.newHttpClient();
            for (String path : paths) {
                int status = -1;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (status != 200 && System.nanoTime() < deadline) {
                    status = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 200) {
                        Thread.sleep(200);
                    }
                }
                assertEquals(200, status, path + " on a running agent");
            }
        }
    }

    /** The httpGet paths of the readiness and liveness probes, in template order. */
    static List<String> probePaths(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(readinessProbe|livenessProbe):\\s*\\n\\s*httpGet:\\s*\\n\\s*path:\\s*(\\S+)")
                .matcher(template);
        while (m.find()) {
            out.add(m.group(2));
        }
        assertTrue(!out.isEmpty(), "no probes found in " + DAEMONSET);
        return out;
    }
}
