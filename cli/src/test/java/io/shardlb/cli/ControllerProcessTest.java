package io.shardlb.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.bridge.KubeClients;
import io.shardlb.events.EventLogs;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller process against fabric8's mock API server (CRUD mode, through a kubeconfig file) and the real
 * embedded Kafka broker: the seed's two Services end up served as kube-loxilb would show them, plus our
 * annotations, condition and Events; a malformed annotation is answered with a Warning and nothing else;
 * deletion releases the VIP before the finalizer goes; a restart writes no duplicate facts; two controllers
 * elect one leader. No agents run, so no instance has a master (condition {@code NoMaster}).
 */
class ControllerProcessTest {
    private static final String NS = "default";
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void seedServicesServedDeletedAndRestartedWithoutDuplicateFacts() throws Exception {
        MockKube kube = track(new MockKube(dir));
        String prefix = KafkaFixture.prefix("controller");
        ControllerProcess first = controller(kube, prefix, "controller-a");
        Await.until("leadership", first::isLeading);
        KubernetesClient user = kube.user();

        create(user, service("tcp-lb", Map.of("loxilb.io/lbmode", "onearm")), slice("tcp-lb", "10.0.0.1"));
        Await.until("tcp-lb served", () -> hostname(user, "tcp-lb").equals("llb-192.168.80.250"));
        create(user, service("tcp-lb2", Map.of("loxilb.io/zoneinstance", "llb-inst2")), slice("tcp-lb2", "10.0.0.2"));
        Await.until("tcp-lb2 served", () -> hostname(user, "tcp-lb2").equals("llb-192.168.80.251"));

        Await.until("instance annotations", () -> "default".equals(annotation(user, "tcp-lb", "instance"))
                && "llb-inst2".equals(annotation(user, "tcp-lb2", "instance")));
        for (String name : List.of("tcp-lb", "tcp-lb2")) {
            Service s = get(user, name);
            assertTrue(s.getMetadata().getFinalizers().contains("shardlb.io/vip"), name);
            Condition ready = readyCondition(s);
            assertEquals("False", ready.getStatus(), "no agent masters an instance yet");
            assertEquals("NoMaster", ready.getReason());
            assertEquals(List.of(57002), s.getStatus().getLoadBalancer().getIngress().getFirst().getPorts()
                    .stream().map(p -> p.getPort()).toList());
            Await.until("Events of " + name, () -> reasons(user, name).containsAll(List.of("VIPAllocated", "Placed")));
        }

        // a malformed annotation: a Warning naming it, a False condition, and nothing else
        create(user, service("bad-lb", Map.of("loxilb.io/lbmode", "sideways")), slice("bad-lb", "10.0.0.3"));
        Await.until("InvalidAnnotation Event", () -> events(user, "bad-lb").stream().anyMatch(e ->
                "Warning".equals(e.getType()) && "InvalidAnnotation".equals(e.getReason())
                        && e.getMessage().contains("loxilb.io/lbmode") && e.getMessage().contains("sideways")));
        Service bad = get(user, "bad-lb");
        assertTrue(bad.getMetadata().getFinalizers() == null || bad.getMetadata().getFinalizers().isEmpty());
        assertTrue(bad.getMetadata().getAnnotations().keySet().stream().noneMatch(k -> k.startsWith("status.")));
        assertTrue(bad.getStatus().getLoadBalancer() == null
                || bad.getStatus().getLoadBalancer().getIngress() == null
                || bad.getStatus().getLoadBalancer().getIngress().isEmpty());
        assertEquals("InvalidAnnotation", readyCondition(bad).getReason());
        assertEquals(service("bad-lb", Map.of("loxilb.io/lbmode", "sideways")).getSpec(), bad.getSpec());

        // deletion: the VIP is released in the plan, then the finalizer goes and so does the object
        user.services().inNamespace(NS).withName("tcp-lb").delete();
        Await.until("tcp-lb gone", () -> user.services().inNamespace(NS).withName("tcp-lb").get() == null);
        String uri = KafkaFixture.logUri();
        try (EventLog log = EventLogs.open(uri, KafkaFixture.options("x").withTopicPrefix(prefix))) {
            assertTrue(read(log, Topic.PLAN).stream().anyMatch(e -> e.envelope().payload()
                    instanceof Decision.VipReleased r && r.service().equals("default/tcp-lb")));
        }
        statusOnlyThroughSubresource(kube);

        // restart: the new leader compares the cluster with the log and writes nothing new
        first.close();
        long before;
        try (EventLog log = EventLogs.open(uri, KafkaFixture.options("x").withTopicPrefix(prefix))) {
            before = facts(log);
            ControllerProcess second = controller(kube, prefix, "controller-b");
            Await.until("second leads", second::isLeading);
            Await.until("second caught up with the plan", second::caughtUp);
            assertEquals(before, facts(log), "a restart writes no duplicate facts");
            assertEquals(1, read(log, Topic.EVENTS).stream().filter(e -> e.envelope().payload()
                    instanceof Fact.ConfigObserved).count(), "the configuration is recorded once");
        }
    }

    @Test
    void twoControllersElectOneLeaderAndAStandbyTakesOver() throws Exception {
        MockKube kube = track(new MockKube(dir));
        String prefix = KafkaFixture.prefix("election");
        ControllerProcess a = controller(kube, prefix, "controller-a");
        ControllerProcess b = controller(kube, prefix, "controller-b");
        Await.until("a leader", () -> a.isLeading() || b.isLeading());
        ControllerProcess leader = a.isLeading() ? a : b;
        ControllerProcess standby = leader == a ? b : a;
        for (int i = 0; i < 20; i++) { // a few renewals: never two leaders
            assertTrue(!(a.isLeading() && b.isLeading()), "two leaders");
            Thread.sleep(100);
        }
        assertEquals(200, get(standby.metricsPort(), "/readyz").statusCode(), "a standby is ready");
        String metrics = get(leader.metricsPort(), "/metrics").body();
        for (String name : List.of("shardlb_controller_leader 1", "shardlb_planner_decision_latency_seconds",
                "shardlb_planner_lag_records", "shardlb_arbiter_agents_up", "shardlb_arbiter_failovers_total",
                "shardlb_bridge_api_errors_total")) {
            assertTrue(metrics.contains(name), name + " in\n" + metrics);
        }
        leader.close();
        Await.until("the standby takes over", standby::isLeading);
    }

    @Test
    void aFencedPlannerStopsTheProcessLoudly() throws Exception {
        MockKube kube = track(new MockKube(dir));
        String prefix = KafkaFixture.prefix("fenced");
        ControllerProcess p = controller(kube, prefix, "controller-a");
        Await.until("leadership", p::isLeading);
        try (EventLog log = EventLogs.open(KafkaFixture.logUri(), KafkaFixture.options("x").withTopicPrefix(prefix));
             var zombieSlayer = log.fencedWriter(io.shardlb.planner.stage.PlannerStage.TRANSACTIONAL_ID, "other")) {
            zombieSlayer.init(); // a newer planner elsewhere: this one is now fenced
            create(kube.user(), service("tcp-lb", Map.of()), slice("tcp-lb", "10.0.0.1"));
            Await.until("the process stops", () -> !p.isLeading());
            assertEquals(ControllerProcess.EXIT_FAULT, p.awaitExit(), "a fenced planner exits non-zero");
            assertEquals(503, get(p.metricsPort(), "/healthz").statusCode());
        }
    }

    private ControllerProcess controller(MockKube kube, String prefix, String id) throws Exception {
        ControllerCommand cmd = new ControllerCommand();
        new CommandLine(cmd).parseArgs("--kubeconfig=" + kube.kubeconfig(), "--log=" + KafkaFixture.logUri(),
                "--topicPrefix=" + prefix, "--cidrPools", "defaultPool=192.168.80.250/24", "--setUniqueIP",
                "--numZoneInstances", "3", "--leaseNamespace=default", "--leaseDuration=3s", "--id=" + id,
                "--metricsHost=127.0.0.1", "--metricsPort=0");
        ControllerConfig config = ControllerConfig.validate(cmd.flags());
        EventLog log = track(EventLogs.open(config.logUri(), config.logOptions()));
        KubernetesClient client = track(KubeClients.connect(config.kubeconfig()));
        ControllerProcess p = track(new ControllerProcess(config, client, log));
        p.start();
        return p;
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** Writes to a Service's main resource are JSON patches only; status goes through services/status. */
    private static void statusOnlyThroughSubresource(MockKube kube) {
        boolean statusWritten = false;
        for (MockKube.Request r : kube.controllerRequests()) {
            String path = r.path().split("\\?")[0];
            if (!path.matches("/api/v1/namespaces/[^/]+/services/[^/]+(/status)?")
                    || List.of("GET", "DELETE").contains(r.method())) {
                continue;
            }
            if (path.endsWith("/status")) {
                assertEquals("PUT", r.method(), "status by full replace of the subresource: " + r);
                statusWritten = true;
            } else {
                assertEquals("PATCH", r.method(), "the main resource is only patched: " + r);
                assertTrue(r.contentType().startsWith("application/json-patch+json"), r::toString);
            }
        }
        assertTrue(statusWritten, "status was written");
    }

    private static long facts(EventLog log) {
        return read(log, Topic.EVENTS).stream().filter(e -> !(e.envelope().payload() instanceof Fact.Tick)).count();
    }

    private static List<LogEntry> read(EventLog log, Topic topic) {
        List<LogEntry> out = new ArrayList<>();
        try (LogReader r = log.reader(topic)) {
            Map<Integer, Long> end = r.endOffsets();
            while (!r.hasReached(end)) {
                out.addAll(r.poll(Duration.ofMillis(200)));
            }
        }
        return out;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void create(KubernetesClient user, Service svc, EndpointSlice slice) {
        user.services().inNamespace(NS).resource(svc).create();
        user.discovery().v1().endpointSlices().inNamespace(NS).resource(slice).create();
    }

    private static Service get(KubernetesClient user, String name) {
        return user.services().inNamespace(NS).withName(name).get();
    }

    private static String hostname(KubernetesClient user, String name) {
        Service s = get(user, name);
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return "";
        }
        return s.getStatus().getLoadBalancer().getIngress().getFirst().getHostname();
    }

    private static String annotation(KubernetesClient user, String name, String key) {
        Service s = get(user, name);
        return s == null || s.getMetadata().getAnnotations() == null ? null
                : s.getMetadata().getAnnotations().get("status.shardlb.io/" + key);
    }

    private static Condition readyCondition(Service s) {
        return s.getStatus().getConditions().stream().filter(c -> "shardlb.io/Ready".equals(c.getType()))
                .findFirst().orElseThrow(() -> new AssertionError("no shardlb.io/Ready condition on " + s));
    }

    private static List<Event> events(KubernetesClient user, String name) {
        return user.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName())).toList();
    }

    private static List<String> reasons(KubernetesClient user, String name) {
        return events(user, name).stream().map(Event::getReason).toList();
    }

    static Service service(String name, Map<String, String> annotations) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).withAnnotations(annotations)
                .endMetadata().withNewSpec().withType("LoadBalancer").withLoadBalancerClass("loxilb.io/loxilb")
                .withSelector(Map.of("app", name)).addNewPort().withName("tcp").withPort(57002).withProtocol("TCP")
                .withTargetPort(new IntOrString(80)).endPort().withExternalTrafficPolicy("Cluster").endSpec()
                .build();
    }

    private static EndpointSlice slice(String service, String ip) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-abc").withNamespace(NS)
                .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses(ip).withNodeName("node-1").withNewConditions().withReady(true)
                .endConditions().endEndpoint()
                .addNewPort().withName("tcp").withPort(80).withProtocol("TCP").endPort().build();
    }
}
