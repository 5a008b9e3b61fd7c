package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.schema.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cut-off sequence on loopback with the proxy forwarder (no root): three agents as child processes, each
 * reaching the embedded broker only through a relay of its own (the broker advertises that relay on the agent's
 * listener, so no later connection bypasses it), the real arbiter and planner. A master is cut off silently (its
 * relay forwards nothing), then another by reset and refusal; judged by client connections: each cut-off agent
 * stops answering by its lease deadline while another takes over, no VIP is answered by two agents in turn, and no
 * new master fails to bind a VIP.
 */
class AgentCutOffTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** As in {@link AgentClusterTest}: beats of JVMs starting on a loaded 2-core machine must not lapse. */
    private static final LeaseSettings SETTINGS = new LeaseSettings(200, 1500, 500);
    private static final long LEASE = Duration.ofMillis(SETTINGS.leaseMs()).toNanos();
    /** Scheduling slack between the proxy loop's wake-up at the deadline and the close of its listener. */
    private static final long SLACK = Duration.ofMillis(300).toNanos();
    /** Answers per VIP the probe must record after the last takeover before "never again" is judged. */
    private static final int AFTER = 10;
    private static final int PORT = 18081;
    private static final String OUT_DIR = "agent-cutoff";
    private static final String[] NAMES = {"cut-a", "cut-b", "cut-c"};
    private static final Pattern FAILURES = Pattern.compile("(?m)^shardlb_agent_claim_failures_total (\\S+)$");

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, ChildJvm> children = new HashMap<>();
    private final Map<String, KafkaRelay> relays = new HashMap<>();
    private final Map<String, String> apis = new HashMap<>();
    private RealPlanner planner;
    private ClientProbe probe;

    @AfterEach
    void tearDown() throws Exception {
        children.values().forEach(c -> {
            if (c.isAlive()) {
                c.kill();
            }
        });
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aCutOffMasterStopsAnsweringByItsLeaseDeadlineWhileAnotherTakesOver() throws Exception {
        Map<String, Integer> advertised = new LinkedHashMap<>();
        for (String name : NAMES) {
            KafkaRelay relay = new KafkaRelay();
            closing.add(relay);
            relays.put(name, relay);
            advertised.put(listener(name), relay.port());
        }
        EmbeddedKafka kafka = EmbeddedKafka.startTemporaryWithRelayedListeners(advertised);
        closing.add(kafka);
        for (String name : NAMES) {
            relays.get(name).start(kafka.listenerPort(listener(name)));
        }
        KafkaEventLog log = new KafkaEventLog(kafka.bootstrap(), KafkaFixture.options("cutoff"));
        closing.add(log);
        ArbiterService arbiter = new ArbiterService(log, SETTINGS, System::nanoTime, "arbiter", (f, p, t) -> { });
        closing.add(arbiter);
        arbiter.setActive(true);
        arbiter.start("arbiter");
        TestBackends.Backend backend = TestBackends.http("be1", InetAddress.getLoopbackAddress());
        closing.add(backend);
        planner = new RealPlanner(log);
        closing.add(planner);
        LoopbackAgents.planServices(planner, "127.0.81.250/24", PORT, backend.port());

        Map<Long, String> byPid = new HashMap<>();
        for (String name : NAMES) {
            ChildJvm child = LoopbackAgents.start(name, "kafka://127.0.0.1:" + relays.get(name).port(),
                    log.options().topicPrefix(), SETTINGS, dir, OUT_DIR, WAIT);
            children.put(name, child);
            apis.put(name, LoopbackAgents.api(child));
            byPid.put(child.pid(), name);
        }
        await(() -> IntStream.range(0, 3).mapToObj(this::masterOf).filter(m -> m != null).distinct().count() == 3,
                "each agent masters one instance");
        probe = new ClientProbe(3, this::vipOf, PORT, Duration.ofSeconds(150));
        closing.add(probe);
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(probe, byPid, i);
        }

        // a silent partition: the master of instance 0 keeps its connections, but no byte crosses either way
        String silent = masterOf(0);
        relays.get(silent).blackHole();
        long silentAt = System.nanoTime();
        await(() -> masterOf(0) != null && !silent.equals(masterOf(0)), "a new master of instance 0");
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(probe, byPid, i);
        }

        // a loud one: the master of instance 1 has its connections reset and new ones refused
        String refused = masterOf(1);
        assertNotEquals(silent, refused);
        relays.get(refused).refuse();
        long refusedAt = System.nanoTime();
        await(() -> masterOf(1) != null && !refused.equals(masterOf(1)), "a new master of instance 1");
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(probe, byPid, i);
        }
        int base = probe.answers().size();
        await(() -> probe.answers().size() >= base + 3 * AFTER, "the probe keeps answering");
        probe.close();

        List<ClientProbe.Answer> answers = probe.answers();
        for (int i = 0; i < 3; i++) {
            int vip = i;
            List<ClientProbe.Answer> mine = answers.stream().filter(a -> a.vip() == vip && a.answered()).toList();
            assertEquals(0, mine.stream().filter(a -> byPid.get(a.pid()).equals(silent)
                    && a.at() - (silentAt + LEASE + SLACK) > 0).count(),
                    "the silently cut " + silent + " answered for " + vipOf(i) + " after its lease deadline");
            assertEquals(0, mine.stream().filter(a -> byPid.get(a.pid()).equals(refused)
                    && a.at() - (refusedAt + LEASE + SLACK) > 0).count(),
                    "the refused " + refused + " answered for " + vipOf(i) + " after its lease deadline");
            assertOneAnswererAtATime(i, mine, byPid);
            String master = masterOf(i);
            assertEquals(master, byPid.get(mine.getLast().pid()), vipOf(i) + " last answered by its master");
        }
        for (String name : NAMES) {
            if (!name.equals(silent) && !name.equals(refused)) {
                assertEquals(0.0, claimFailures(apis.get(name)), name + " failed to bind a VIP it took over");
            }
        }
    }

    private static String listener(String name) {
        return "AGENT_" + name.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /** A takeover switches a VIP's answers from one agent to another once; two answerers would interleave. */
    private void assertOneAnswererAtATime(int i, List<ClientProbe.Answer> answers, Map<Long, String> byPid) {
        List<String> runs = new ArrayList<>();
        for (ClientProbe.Answer a : answers) {
            String who = byPid.getOrDefault(a.pid(), "pid " + a.pid());
            if (runs.isEmpty() || !runs.getLast().equals(who)) {
                runs.add(who);
            }
        }
        assertEquals(runs.stream().distinct().count(), runs.size(), vipOf(i) + " answered in turn by " + runs);
    }

    /** The VIP of Service i: a client's connection there is accepted by the master of its instance, and served. */
    private void awaitAnsweredByMaster(ClientProbe probe, Map<Long, String> byPid, int i)
            throws InterruptedException {
        long from = System.nanoTime();
        await(() -> {
            String master = masterOf(i);
            return master != null && probe.answers().stream().anyMatch(a -> a.vip() == i && a.at() - from > 0
                    && a.answered() && master.equals(byPid.get(a.pid())));
        }, "the VIP of " + LoopbackAgents.SERVICES[i] + " answered by the master of " + LoopbackAgents.INSTANCES[i]);
    }

    private String masterOf(int i) {
        PlanTracker.Term t = planner.term(LoopbackAgents.INSTANCES[i]);
        return t == null || t.master() == null ? null : t.master().agent();
    }

    private String vipOf(int i) {
        Decision.RuleSet r = planner.rule(LoopbackAgents.SERVICES[i]);
        return r == null ? null : r.vip();
    }

    private static double claimFailures(String api) {
        String body = get(api, "/metrics");
        Matcher m = FAILURES.matcher(body);
        assertTrue(m.find(), "no claim failure counter in " + api + "/metrics: " + body);
        return Double.parseDouble(m.group(1));
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what + "\n" + diagnosis());
            }
            Thread.sleep(50);
        }
    }

    /**
     * What a timed-out wait leaves for the post-mortem (CI keeps only the console): each instance's term as the
     * plan says, each VIP's last answers as the clients saw them, each agent's claims and the end of its output.
     */
    private String diagnosis() {
        StringBuilder b = new StringBuilder("plan:");
        for (int i = 0; i < 3; i++) {
            PlanTracker.Term t = planner.term(LoopbackAgents.INSTANCES[i]);
            b.append(' ').append(LoopbackAgents.INSTANCES[i]).append('=').append(t).append(" vip ").append(vipOf(i));
        }
        if (probe != null) {
            Map<Long, String> names = new HashMap<>();
            children.forEach((name, c) -> names.put(c.pid(), name));
            List<ClientProbe.Answer> all = probe.answers();
            long now = System.nanoTime();
            b.append("\nprobe: ").append(all.size()).append(" answers, running ").append(probe.running());
            for (int i = 0; i < 3; i++) {
                int vip = i;
                List<ClientProbe.Answer> mine = all.stream().filter(a -> a.vip() == vip).toList();
                b.append("\n  vip ").append(i).append(':');
                for (ClientProbe.Answer a : mine.subList(Math.max(0, mine.size() - 8), mine.size())) {
                    b.append(' ').append((a.at() - now) / 1_000_000).append("ms ")
                            .append(names.getOrDefault(a.pid(), "pid" + a.pid())).append('/').append(a.backend());
                }
            }
        }
        for (String name : NAMES) {
            ChildJvm c = children.get(name);
            if (c == null) {
                continue;
            }
            b.append("\n").append(name).append(c.isAlive() ? "" : " (exited)").append(" claims ")
                    .append(get(apis.get(name), "/v1/ip").replaceAll("\\s+", ""));
            try {
                List<String> lines = Files.readAllLines(LoopbackAgents.output(OUT_DIR, name))
                        .stream().filter(l -> !l.contains(" NetworkClient - ") && !l.contains(" Sender - ")
                                && !l.startsWith("\t")).toList();
                lines.subList(Math.max(0, lines.size() - 12), lines.size())
                        .forEach(l -> b.append("\n    ").append(l));
            } catch (IOException | RuntimeException e) {
                b.append("\n    (output unreadable: ").append(e).append(')');
            }
        }
        return b.toString();
    }

    /** The body of {@code GET api+path}, or what went wrong in parentheses. */
    private static String get(String api, String path) {
        if (api == null) {
            return "(no api)";
        }
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return c.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "(GET " + api + path + ": " + e + ")";
        }
    }
}
