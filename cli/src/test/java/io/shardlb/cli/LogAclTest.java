package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.stage.PlannerStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log no one else can steer: a broker with SASL/SCRAM and KRaft's standard authorizer, the SCRAM users and
 * exactly the ACLs the chart README documents; the controller and two agents logged in as their principals. An
 * agent principal cannot append to {@code events} or {@code plan}, nor take the planner's transactional id
 * (a clear authorization error, nothing written: the controller reads both topics and finds nothing of it),
 * while a failover still works end to end.
 */
class LogAclTest {
    private static final String PASSWORD_CONTROLLER = "controller-secret";
    private static final String PASSWORD_AGENT = "agent-secret";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void anAgentPrincipalCannotWriteEventsOrPlanWhileAFailoverWorks() throws Exception {
        EmbeddedKafka kafka = track(EmbeddedKafka.startTemporaryWithScram());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.superUserBootstrap()))) {
            ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096);
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("shardlb-controller", info, PASSWORD_CONTROLLER),
                    new UserScramCredentialUpsertion("shardlb-agent", info, PASSWORD_AGENT)))
                    .all().get(60, TimeUnit.SECONDS);
            admin.createAcls(AclCommands.bindings()).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, String> controllerLogin = login("shardlb-controller", PASSWORD_CONTROLLER);
        Map<String, String> agentLogin = login("shardlb-agent", PASSWORD_AGENT);
        Path controllerProperties = dir.resolve("controller.properties");
        Files.write(controllerProperties, controllerLogin.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\"", "\\\"")).toList());

        String uri = "kafka://" + kafka.bootstrap();
        LiveCluster cluster = track(new LiveCluster(dir, uri, LogOptions.DEFAULT_PREFIX));
        cluster.startController(controllerProperties);
        LogOptions agentOptions = LogOptions.defaults().withClientProperties(agentLogin);
        cluster.startAgent("agent-a", agentOptions);
        cluster.startAgent("agent-b", agentOptions);
        cluster.createService("svc-0", LiveCluster.INSTANCES[0]);
        cluster.createService("svc-1", LiveCluster.INSTANCES[1]);
        Await.until("each agent masters one instance", () -> !cluster.masterOf("svc-0").isEmpty()
                && !cluster.masterOf("svc-1").isEmpty() && !cluster.masterOf("svc-0").equals(cluster.masterOf("svc-1")));

        // an agent principal trying to steer: refused by the broker, with a clear error
        try (EventLog asAgent = EventLogs.open(uri, agentOptions); PlainWriter w = asAgent.plainWriter("intruder")) {
            for (Topic topic : List.of(Topic.EVENTS, Topic.PLAN)) {
                Envelope forged = Envelope.of(topic == Topic.EVENTS ? new Fact.AgentDown("agent-a", 1, "forged", 0)
                        : new Decision.RuleRemoved("default/svc-0"), "intruder");
                CompletionException e = assertThrows(CompletionException.class,
                        () -> w.append(Outgoing.to(topic, forged)).join(), "append to " + topic);
                TopicAuthorizationException cause = causeOf(e, TopicAuthorizationException.class);
                assertTrue(cause.getMessage().contains("shardlb." + topic.suffix()), cause.getMessage());
            }
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                try (FencedWriter planner = asAgent.fencedWriter(PlannerStage.TRANSACTIONAL_ID, "intruder")) {
                    planner.init();
                }
            });
            causeOf(e, TransactionalIdAuthorizationException.class);
        }

        // a failover, end to end, with everyone authenticated as their principal
        String victim = cluster.masterOf("svc-0");
        String survivor = victim.equals("agent-a") ? "agent-b" : "agent-a";
        cluster.stopAgent(victim);
        Await.until("svc-0 fails over to " + survivor, () -> survivor.equals(cluster.masterOf("svc-0")));

        try (EventLog asController = EventLogs.open(uri, LogOptions.defaults().withClientProperties(controllerLogin))) {
            for (Topic topic : List.of(Topic.EVENTS, Topic.PLAN)) {
                List<LogEntry> all = readAll(asController, topic);
                assertTrue(!all.isEmpty(), topic + " has the controller's records");
                assertEquals(List.of(), all.stream().filter(x -> x.envelope().writer().equals("intruder")).toList(),
                        "nothing of the agent principal in " + topic);
            }
        }

        // the commands that read the log take the same client settings: shardlb log dump as the controller
        String dump = stdoutOf(() -> assertEquals(0, Main.run("log", "dump", "--log", uri,
                "--logProperties", controllerProperties.toString(), "--topic", "events")));
        assertTrue(dump.contains("AgentDown"), "the failover in shardlb log dump:\n" + dump);
    }

    private static String stdoutOf(Runnable r) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, String> login(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("expected a " + type.getSimpleName() + " in the causes of " + e, e);
    }

    private static List<LogEntry> readAll(EventLog log, Topic topic) {
        List<LogEntry> out = new ArrayList<>();
        try (LogReader r = log.reader(topic)) {
            Map<Integer, Long> end = r.endOffsets();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!r.hasReached(end) && System.nanoTime() < deadline) {
                out.addAll(r.poll(Duration.ofMillis(200)));
            }
        }
        return out;
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }
}
