package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.stream.IntStream;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three agents as child processes on the embedded broker with the real arbiter, on loopback with the proxy
 * forwarder and the real planner stage, judged from outside: client connections through the VIPs and the kernel's
 * list of listeners. The plan only tells the test who must answer.
 */
class AgentClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Longer than the defaults: beats of JVMs starting on a loaded 2-core machine must not lapse every lease. */
    private static final LeaseSettings SETTINGS = new LeaseSettings(200, 1500, 500);
    private static final int PORT = 18080;
    private static final String[] INSTANCES = LoopbackAgents.INSTANCES;
    private static final String[] SERVICES = LoopbackAgents.SERVICES;
    private static final String[] NAMES = {"agent-a", "agent-b", "agent-c"};

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, ChildJvm> children = new HashMap<>();
    private final Map<String, Long> pids = new HashMap<>();

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
    void vipsFollowTheirMastersThroughKillUnknownRecordAndDrain() throws Exception {
        KafkaEventLog log = KafkaFixture.open("agents");
        closing.add(log);
        ArbiterService arbiter = new ArbiterService(log, SETTINGS, System::nanoTime, "arbiter",
                (f, p, t) -> { });
        closing.add(arbiter);
        arbiter.setActive(true);
        arbiter.start("arbiter");
        FactWatch facts = new FactWatch(log);
        closing.add(facts);
        TestBackends.Backend backend = TestBackends.http("be1", InetAddress.getLoopbackAddress());
        closing.add(backend);
        RealPlanner planner = new RealPlanner(log);
        closing.add(planner);
        LoopbackAgents.planServices(planner, "127.0.80.250/24", PORT, backend.port());

        Map<String, String> apis = new HashMap<>();
        for (String name : NAMES) {
            ChildJvm child = LoopbackAgents.start(name, "kafka://" + log.bootstrap(), log.options().topicPrefix(),
                    SETTINGS, dir, "agent-cluster", WAIT);
            children.put(name, child);
            pids.put(name, child.pid());
            apis.put(name, LoopbackAgents.api(child));
        }
        await(() -> IntStream.range(0, 3).mapToObj(i -> planner.term(INSTANCES[i]))
                .map(t -> t == null || t.master() == null ? "" : t.master().agent()).distinct()
                .filter(n -> !n.isEmpty()).count() == 3, "each agent masters one instance");
        for (int i = 0; i < 3; i++) {
            awaitServedByMaster(planner, i);
        }
        for (String name : NAMES) {
            String api = apis.get(name);
            await(() -> {
                String ha = get(api + "/v1/ha").body();
                String mine = IntStream.range(0, 3).filter(i -> name.equals(masterOf(planner, i)))
                        .mapToObj(i -> INSTANCES[i]).findFirst().orElse("?");
                return ha.split("MASTER").length - 1 == 1 && ha.split("BACKUP").length == 3
                        && ha.contains("\"instance\" : \"" + mine + "\",\n    \"state\" : \"MASTER\"");
            }, name + " MASTER of its instance and BACKUP of the others in /v1/ha");
        }

        // plan records it cannot apply (an unknown type, a newer version of a known one): counted and skipped,
        // forwarding intact, readyz degraded
        writeUnreadablePlanRecords(log);
        for (String name : NAMES) {
            String api = apis.get(name);
            await(() -> get(api + "/readyz").statusCode() == 503, "degraded after an unknown record");
            assertTrue(get(api + "/readyz").body().contains("degraded"));
            await(() -> java.util.regex.Pattern.compile("(?m)^shardlb_agent_plan_records_skipped_total 2(\\.0)?$")
                    .matcher(get(api + "/metrics").body()).find(),
                    "both unreadable records counted by " + name);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("be1", Loopback.request(vip(planner, i), PORT), "forwarding intact after an unknown record");
        }

        // kill -9 the master of instance 0: another agent is named and answers; the killed one never again
        String killed = masterOf(planner, 0);
        long killedPid = pids.get(killed);
        children.get(killed).kill();
        await(() -> masterOf(planner, 0) != null && !killed.equals(masterOf(planner, 0)), "a new master");
        for (int i = 0; i < 3; i++) {
            awaitServedByMaster(planner, i);
            assertFalse(Loopback.listeners(vip(planner, i), PORT).contains(killedPid));
        }

        // SIGTERM the new master of instance 0: it beats draining, releases on each handover, exits once handed over
        String drained = masterOf(planner, 0);
        List<String> held = IntStream.range(0, 3).filter(i -> drained.equals(masterOf(planner, i)))
                .mapToObj(i -> INSTANCES[i]).toList();
        ChildJvm d = children.get(drained);
        ProcessHandle.of(d.pid()).orElseThrow().destroy();
        facts.await(Fact.AgentDraining.class, f -> f.agent().equals(drained), WAIT);
        assertTrue(d.waitFor(WAIT), drained + " exits once every instance is handed over");
        for (String instance : held) {
            facts.await(Fact.VipUnbound.class, u -> u.agent().equals(drained) && u.instance().equals(instance)
                    && !u.reason().contains("lapsed"), Duration.ofSeconds(5));
        }
        for (int i = 0; i < 3; i++) {
            awaitServedByMaster(planner, i);
            assertFalse(Loopback.listeners(vip(planner, i), PORT).contains(killedPid));
        }
    }

    private static String masterOf(RealPlanner planner, int i) {
        PlanTracker.Term t = planner.term(INSTANCES[i]);
        return t == null || t.master() == null ? null : t.master().agent();
    }

    private static String vip(RealPlanner planner, int i) {
        Decision.RuleSet r = planner.rule(SERVICES[i]);
        return r == null ? null : r.vip();
    }

    /** The VIP of Service i is answered through the master the plan names for its instance, and nobody else. */
    private void awaitServedByMaster(RealPlanner planner, int i) throws InterruptedException {
        await(() -> {
            String master = masterOf(planner, i);
            String vip = vip(planner, i);
            return master != null && vip != null && "be1".equals(Loopback.request(vip, PORT))
                    && Loopback.listeners(vip, PORT).equals(List.of(pids.get(master)));
        }, SERVICES[i] + " answered by the master of " + INSTANCES[i] + " only");
    }

    /** A record of a type this build does not know and one of a newer version, as a newer planner might write. */
    private static void writeUnreadablePlanRecords(KafkaEventLog log) {
        String json = new String(RecordCodec.encode(Envelope.decision(new Decision.RuleRemoved("default/none"),
                "planner", 0)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"v\":1,"), "the envelope's version field: " + json);
        Map<String, Object> props = Map.of("bootstrap.servers", log.bootstrap(), "key.serializer",
                ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
            for (String record : List.of(json.replace("RuleRemoved", "RuleFromTheFuture"),
                    json.replace("\"v\":1,", "\"v\":99,"))) {
                p.send(new ProducerRecord<>(log.topicName(Topic.PLAN), 0, null,
                        record.getBytes(StandardCharsets.UTF_8))).get();
            }
        } catch (Exception e) {
            throw new AssertionError("cannot write the unreadable records", e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> get(String url) {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + url, e);
        }
    }
}
