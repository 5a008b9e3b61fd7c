package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three agents as child processes on the embedded broker with the real arbiter, on loopback with the proxy
 * forwarder, judged from outside: client connections through the VIPs and the kernel's list of listeners. The test
 * plays the planner with a fenced writer (same records the planner writes: terms, handovers, rules).
 */
class AgentClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PORT = 18080;
    private static final String[] INSTANCES = {"default", "llb-inst1", "llb-inst2"};
    private static final String[] VIPS = {"127.0.80.250", "127.0.80.251", "127.0.80.252"};
    private static final String[] NAMES = {"agent-a", "agent-b", "agent-c"};

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        children.forEach(c -> {
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
        ArbiterService arbiter = new ArbiterService(log, LeaseSettings.DEFAULTS, System::nanoTime, "arbiter",
                (f, p, t) -> { });
        closing.add(arbiter);
        arbiter.setActive(true);
        arbiter.start("arbiter");
        FactWatch facts = new FactWatch(log);
        closing.add(facts);
        TestBackends.Backend backend = TestBackends.http("be1", InetAddress.getLoopbackAddress());
        closing.add(backend);
        FencedWriter plan = log.fencedWriter("agent-test-planner", "planner");
        closing.add(plan);
        plan.init();
        TestPlanner planner = new TestPlanner(plan, facts);
        Thread stepper = Thread.ofPlatform().daemon().name("test-planner").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                planner.step();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        closing.add(stepper::interrupt);

        String[] apis = new String[3];
        for (int i = 0; i < 3; i++) {
            ChildJvm child = startAgent(log, NAMES[i]);
            apis[i] = "http://" + child.readyLine().split("api=")[1].split(" ")[0];
        }
        List<Decision> rules = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rules.add(rule(i, backend.port()));
        }
        planner.write(rules);
        for (int i = 0; i < 3; i++) {
            planner.want(INSTANCES[i], NAMES[i]);
        }
        for (int i = 0; i < 3; i++) {
            awaitAnsweredBy(i, children.get(i).pid());
        }
        for (int i = 0; i < 3; i++) {
            String api = apis[i];
            String master = "\"instance\" : \"" + INSTANCES[i] + "\",\n    \"state\" : \"MASTER\"";
            await(() -> {
                String ha = get(api + "/v1/ha").body();
                return ha.split("MASTER").length - 1 == 1 && ha.contains(master) && ha.split("BACKUP").length == 3;
            }, NAMES[i] + " MASTER of " + INSTANCES[i] + " and BACKUP of the others in /v1/ha");
        }

        // an unknown plan record: counted and skipped, forwarding intact, readyz degraded
        writeUnknownPlanRecord(log);
        for (int i = 0; i < 3; i++) {
            String api = apis[i];
            await(() -> get(api + "/readyz").statusCode() == 503, "degraded after an unknown record");
            assertTrue(get(api + "/readyz").body().contains("degraded"));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("be1", Loopback.request(VIPS[i], PORT), "forwarding intact after an unknown record");
        }

        // kill -9 the master of "default": once it is Down, agent-b is named and answers; agent-a never again
        long pidA = children.get(0).pid();
        AgentRef killed = planner.master(INSTANCES[0]);
        children.get(0).kill();
        facts.await(Fact.AgentDown.class, d -> d.agent().equals(killed.agent())
                && d.incarnation() == killed.incarnation(), WAIT);
        planner.want(INSTANCES[0], NAMES[1]);
        awaitAnsweredBy(0, children.get(1).pid());
        assertFalse(Loopback.listeners(VIPS[0], PORT).contains(pidA));

        // SIGTERM agent-b: it beats draining, releases on each handover, and exits only once handed over
        ChildJvm b = children.get(1);
        ProcessHandle.of(b.pid()).orElseThrow().destroy();
        facts.await(Fact.AgentDraining.class, d -> d.agent().equals(NAMES[1]), WAIT);
        assertTrue(b.isAlive(), "a draining agent waits for the plan");
        planner.want(INSTANCES[0], NAMES[2]);
        planner.want(INSTANCES[1], NAMES[2]);
        assertTrue(b.waitFor(WAIT), "agent-b exits once every instance is handed over");
        for (int i = 0; i < 2; i++) {
            String instance = INSTANCES[i];
            facts.await(Fact.VipUnbound.class, u -> u.agent().equals(NAMES[1]) && u.instance().equals(instance)
                    && !u.reason().contains("lapsed"), Duration.ofSeconds(5));
        }
        for (int i = 0; i < 3; i++) {
            awaitAnsweredBy(i, children.get(2).pid());
        }
        assertFalse(Loopback.listeners(VIPS[0], PORT).contains(pidA));
    }

    private ChildJvm startAgent(KafkaEventLog log, String name) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                jvm.add(a);
            }
        }
        List<String> args = List.of("--name", name, "--log", "kafka://" + log.bootstrap(), "--topicPrefix",
                log.options().topicPrefix(), "--interface", "lo", "--forwarder", "proxy", "--apiHost", "127.0.0.1",
                "--journal", dir.resolve(name).toString(), "--drainTimeout", "60s");
        Path out = Path.of("target", "agent-cluster", name + ".out"); // kept for a failed run's post-mortem
        try {
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.deleteIfExists(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChildJvm child = ChildJvm.start(AgentMain.class.getName(), args, jvm, "AGENT READY", out, WAIT);
        children.add(child);
        return child;
    }

    private static Decision.RuleSet rule(int i, int backendPort) {
        return new Decision.RuleSet("default/svc-" + i, VIPS[i], List.of(new RulePort(PORT, "TCP")), "onearm", "rr",
                0, List.of(), List.of(new RuleEndpoint(PORT, "TCP", "127.0.0.1", backendPort)), INSTANCES[i]);
    }

    /** A record of a type this build does not know, as a newer planner might write it. */
    private static void writeUnknownPlanRecord(KafkaEventLog log) {
        String json = new String(RecordCodec.encode(Envelope.decision(new Decision.RuleRemoved("default/none"),
                "planner", 0)), StandardCharsets.UTF_8).replace("RuleRemoved", "RuleFromTheFuture");
        Map<String, Object> props = Map.of("bootstrap.servers", log.bootstrap(), "key.serializer",
                ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
            p.send(new ProducerRecord<>(log.topicName(Topic.PLAN), 0, null,
                    json.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new AssertionError("cannot write the unknown record", e);
        }
    }

    private void awaitAnsweredBy(int i, long pid) throws InterruptedException {
        await(() -> "be1".equals(Loopback.request(VIPS[i], PORT))
                        && Loopback.listeners(VIPS[i], PORT).equals(List.of(pid)),
                VIPS[i] + " answered by pid " + pid + " only (listeners " + Loopback.listeners(VIPS[i], PORT) + ")");
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
