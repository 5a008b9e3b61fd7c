package io.shardlb.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardlb local --datapath xdp} as root, judged from outside: traffic enters from the client namespace and
 * reaches each seed VIP's pod through the agents' XDP forwarders, the agents' counters for those rules moved, one
 * MASTER per instance on three different agents, {@code kill-agent} of a master is followed by a decision line
 * naming the cause and the VIP answers again, and Ctrl-C leaves no process and no namespace behind.
 */
class LocalXdpCommandTest {
    private static final Duration START = Duration.ofSeconds(400);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SEED = Path.of("..", "examples", "seed.yaml").toAbsolutePath().normalize();
    private static final String[] AGENTS = {"agent-1", "agent-2", "agent-3"};
    private final List<AutoCloseable> closing = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        // a failed run must not leave its namespaces for the next one
        for (String ns : LocalNetwork.namespaces(3)) {
            LocalNetwork.run(true, "ip", "netns", "del", ns);
        }
        LocalNetwork.run(true, "ip", "link", "del", LocalNetwork.PREFIX + "h0");
    }

    @Test
    void seedThroughTheClientNamespaceFailoverAndCtrlC() throws Exception {
        XdpGate.require();
        LocalRun local = track(LocalRun.start(dir, "local-xdp", "local", "--datapath", "xdp", "--seed",
                SEED.toString()));
        local.awaitLine("the live decision lines", START, l -> l.startsWith("Decisions, as the planner commits"));

        Set<String> instances = new HashSet<>();
        for (int i = 0; i < AGENTS.length; i++) {
            List<String> mine = new ArrayList<>();
            for (JsonNode n : json(api(i) + "/v1/ha").path("Attr")) {
                if ("MASTER".equals(n.path("state").asText())) {
                    mine.add(n.path("instance").asText(n.path("name").asText()));
                }
            }
            assertEquals(1, mine.size(), AGENTS[i] + " is MASTER of exactly one instance: " + mine);
            instances.add(mine.getFirst());
        }
        assertEquals(3, instances.size(), "three instances, three masters: " + instances);
        assertTrue(local.output().contains("llb-198.18.80.250") && local.output().contains("llb-198.18.80.251"),
                "the Services' external IPs are shown:\n" + local.output());

        Map<String, String> pages = Map.of("198.18.80.250", "pod default/tcp-test ", "198.18.80.251",
                "pod default/tcp-test2 ");
        for (var vip : pages.entrySet()) {
            await(vip.getKey() + " answers the client namespace with its pod's page",
                    () -> page(vip.getKey()).contains(vip.getValue()));
            await("the counters of " + vip.getKey() + "'s rule moved", () -> packets(vip.getKey()) > 0);
        }

        String killed = masterOf("198.18.80.250");
        LocalRun kill = track(LocalRun.start(dir, "kill-agent-xdp", "kill-agent", killed));
        assertEquals(0, kill.awaitExit(WAIT), kill.output());
        String line = local.awaitLine("a decision line naming the cause", WAIT, l -> l.contains("tcp-lb → ")
                && l.contains(" master agent-") && !l.contains("master " + killed) && l.contains(killed + "#")
                && l.contains("Down"));
        assertTrue(line.contains("no beat"), line);
        await("198.18.80.250 answers again", () -> page("198.18.80.250").contains(pages.get("198.18.80.250")));

        List<Long> children = local.descendants();
        assertTrue(children.size() >= 5, "kafka, controller and agents ran as child processes: " + children);
        new ProcessBuilder("kill", "-INT", String.valueOf(local.pid())).start().waitFor();
        local.awaitExit(WAIT);
        for (long pid : children) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "process " + pid + " outlived Ctrl-C");
        }
        assertTrue(local.output().contains("stopped; no process left"), local.output());
        String left = LocalNetwork.run(false, "ip", "netns", "list");
        assertFalse(left.contains(LocalNetwork.PREFIX), "namespaces left behind: " + left);
        assertFalse(LocalNetwork.run(false, "ip", "-br", "link").contains(LocalNetwork.PREFIX + "h0"),
                "the veth end in this namespace is gone");
    }

    private static String api(int index) {
        return "http://" + LocalNetwork.agentIp(index) + ":" + LocalPorts.DEFAULTS.agentApi(index);
    }

    private static String masterOf(String vip) {
        for (int i = 0; i < AGENTS.length; i++) {
            for (JsonNode n : json(api(i) + "/v1/ha").path("Attr")) {
                if (vip.equals(n.path("vip").asText()) && "MASTER".equals(n.path("state").asText())) {
                    return AGENTS[i];
                }
            }
        }
        throw new AssertionError("no agent masters " + vip);
    }

    private static long packets(String vip) {
        long sum = 0;
        for (int i = 0; i < AGENTS.length; i++) {
            for (JsonNode rule : json(api(i) + "/v1/lb").path("lbAttr")) {
                if (vip.equals(rule.path("serviceArguments").path("externalIP").asText())) {
                    for (JsonNode e : rule.path("endpoints")) {
                        sum += Long.parseLong(e.path("counter").asText("0:0").split(":")[0]);
                    }
                }
            }
        }
        return sum;
    }

    /** {@code ip netns exec slbl-cl curl http://VIP:57002/}: the page, or "" when nothing answers. */
    private static String page(String vip) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", LocalNetwork.CLIENT_NS, "curl", "-s", "-m", "5",
                    "http://" + vip + ":57002/").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static JsonNode json(String url) {
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.statusCode() == 200 && !r.body().isEmpty() ? r.body() : "{}");
        } catch (IOException e) {
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(250);
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closing.add(c);
        return c;
    }
}
