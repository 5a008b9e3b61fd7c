package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.bridge.out.Reconciler;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The informer shell against the mock: facts only on meaningful changes, restarts, deletion end to end. */
class KubeBridgeTest {
    static final Duration SYNC = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    MockCluster cluster;
    KubernetesClient user;
    final List<Fact> facts = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster(dir);
        user = cluster.client();
        user.services().inNamespace("default").resource(Seed.tcpLb()).create();
        user.services().inNamespace("default").resource(Seed.tcpLb2()).create();
        Service other = Seed.service("nginx-lb", 80, Map.of("loxilb.io/lbmode", "onearm"));
        other.getSpec().setLoadBalancerClass("example.com/other");
        user.services().inNamespace("default").resource(other).create();
        user.discovery().v1().endpointSlices().inNamespace("default")
                .resource(Objects.slice("tcp-lb", "tcp-lb-abcde", "198.18.1.20", "node-1", true)).create();
        user.discovery().v1().endpointSlices().inNamespace("default")
                .resource(Objects.slice("tcp-lb", "tcp-lb-fghij", "198.18.1.21", "node-2", false)).create();
        user.pods().inNamespace("kube-system").resource(Objects.agentPod("agent-a", "node-1", "198.18.0.2", true))
                .create();
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    KubeBridge start(ObservedImage last) throws Exception {
        KubeBridge bridge = new KubeBridge(cluster.client(), BridgeConfig.defaults(), last, facts::add);
        bridge.start(SYNC);
        return bridge;
    }

    @Test
    void startWritesTheClusterThenOnlyMeaningfulChanges() throws Exception {
        try (KubeBridge bridge = start(ObservedImage.EMPTY)) {
            assertEquals(List.of("ServiceObserved default/tcp-lb", "ServiceObserved default/tcp-lb2",
                    "EndpointsObserved default/tcp-lb", "AgentObserved agent-a"), names(facts));
            Fact.EndpointsObserved eps = (Fact.EndpointsObserved) facts.get(2);
            assertEquals(List.of(new Endpoint("198.18.1.20", 80, "tcp", "TCP", true, "node-1")), eps.endpoints());
            facts.clear();

            // an unrelated label, then our own writes (finalizer, annotations, status): nothing
            user.services().inNamespace("default").withName("tcp-lb")
                    .edit(s -> { s.getMetadata().getLabels().put("team", "blue"); return s; });
            ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()),
                    Seed.placements());
            new Reconciler(cluster.client(), BridgeConfig.defaults(), Clock.systemUTC(), Duration.ofMillis(20))
                    .reconcileAll(plan);
            // then a meaningful change behind them: the only fact
            user.services().inNamespace("default").withName("tcp-lb2").edit(s -> {
                s.getMetadata().getAnnotations().put("loxilb.io/lbmode", "fullnat");
                return s;
            });
            Await.until("the lbmode change", () -> !facts.isEmpty());
            bridge.awaitQuiet(SYNC);
            assertEquals(List.of("ServiceObserved default/tcp-lb2"), names(facts));
            assertEquals("fullnat", ((Fact.ServiceObserved) facts.getFirst()).annotations().get("loxilb.io/lbmode"));
            facts.clear();

            // a user setting an output key of ours that we do not write: named, not read
            user.services().inNamespace("default").withName("tcp-lb").edit(s -> {
                s.getMetadata().getAnnotations().put("status.shardlb.io/owner", "me");
                return s;
            });
            Await.until("the ignored annotation", () -> !facts.isEmpty());
            Fact.ServiceObserved o = (Fact.ServiceObserved) facts.getFirst();
            assertEquals(List.of("status.shardlb.io/owner"), o.ignoredAnnotations());
            assertTrue(o.annotations().keySet().stream().noneMatch(k -> k.startsWith("status.")));
            facts.clear();

            // another class: no longer ours
            user.services().inNamespace("default").withName("tcp-lb2").edit(s -> {
                s.getSpec().setLoadBalancerClass("example.com/other");
                return s;
            });
            Await.until("ServiceGone", () -> !facts.isEmpty());
            assertEquals(List.of("ServiceGone default/tcp-lb2"), names(facts));
        }
    }

    @Test
    void restartWritesNoDuplicatesAndReportsWhatWentWhileDown() throws Exception {
        ObservedImage log;
        try (KubeBridge bridge = start(ObservedImage.EMPTY)) {
            log = fold(ObservedImage.EMPTY, facts);
            assertEquals(log.services(), bridge.written().services());
        }
        facts.clear();
        try (KubeBridge again = start(log)) {
            assertEquals(List.of(), names(facts), "a restart over an unchanged cluster writes nothing");
        }
        user.services().inNamespace("default").withName("tcp-lb2").delete();
        user.pods().inNamespace("kube-system").withName("agent-a").delete();
        try (KubeBridge third = start(log)) {
            assertEquals(List.of("ServiceGone default/tcp-lb2", "AgentObserved agent-a"), names(facts));
            assertTrue(((Fact.AgentObserved) facts.get(1)).deleted());
        }
    }

    @Test
    void deletingAServiceReleasesItsVipThenItsFinalizerEndToEnd() throws Exception {
        Reconciler reconciler = new Reconciler(cluster.client(), BridgeConfig.defaults(), Clock.systemUTC(),
                Duration.ofMillis(20));
        try (KubeBridge bridge = start(ObservedImage.EMPTY)) {
            ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()),
                    Seed.placements());
            reconciler.reconcileAll(plan);
            facts.clear();

            user.services().inNamespace("default").withName("tcp-lb").delete();
            Await.until("ServiceGone on deletion", () -> !facts.isEmpty());
            assertEquals(List.of("ServiceGone default/tcp-lb"), names(facts));
            reconciler.reconcile(plan, "default/tcp-lb");
            assertTrue(user.services().inNamespace("default").withName("tcp-lb").get() != null,
                    "held by the finalizer until the plan releases the VIP");

            // what the planner answers to ServiceGone
            plan = Seed.fold(plan, List.of(new Decision.RuleRemoved("default/tcp-lb"),
                    new Decision.VipReleased("default/tcp-lb", "192.168.80.250")));
            reconciler.reconcile(plan, "default/tcp-lb");
            assertNull(user.services().inNamespace("default").withName("tcp-lb").get());
            bridge.awaitQuiet(SYNC);
            assertEquals(List.of("ServiceGone default/tcp-lb"), names(facts), "the final DELETE adds nothing");
        }
    }

    static ObservedImage fold(ObservedImage base, List<Fact> facts) {
        ObservedDelta d = base.delta();
        synchronized (facts) {
            facts.forEach(d::replay);
        }
        return d.apply();
    }

    static List<String> names(List<Fact> facts) {
        synchronized (facts) {
            return facts.stream().map(f -> f.getClass().getSimpleName() + " " + f.subject()).toList();
        }
    }
}
