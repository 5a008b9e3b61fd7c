package io.shardlb.bridge.out;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.bridge.ApiRequest;
import io.shardlb.bridge.BridgeConfig;
import io.shardlb.bridge.Keys;
import io.shardlb.bridge.MockCluster;
import io.shardlb.bridge.Seed;
import io.shardlb.events.schema.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed scenario's two Services, reconciled from plan decisions against the mock API server. */
class ReconcileSeedTest {
    @TempDir
    Path dir;
    MockCluster cluster;
    KubernetesClient user;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster(dir);
        user = cluster.client();
        user.services().inNamespace("default").resource(Seed.tcpLb()).create();
        user.services().inNamespace("default").resource(Seed.tcpLb2()).create();
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:42:00Z"), ZoneOffset.UTC);
        reconciler = new Reconciler(cluster.client(), BridgeConfig.defaults(), clock, Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void seedServicesGetHostnamesAnnotationsConditionFinalizerAndEvents() {
        ServiceStatusImage plan = Seed.fold(ServiceStatusImage.EMPTY, Seed.masters());
        plan = Seed.fold(plan, Seed.placements());

        List<ReconcileResult> results = reconciler.reconcileAll(plan);
        assertTrue(results.stream().allMatch(r -> r.outcome() == ReconcileResult.Outcome.PATCHED), results::toString);

        Service lb = get("tcp-lb");
        Service lb2 = get("tcp-lb2");
        assertIngress(lb, "llb-192.168.80.250", 56002);
        assertIngress(lb2, "llb-192.168.80.251", 57002);
        assertEquals(Map.of(Keys.ANN_INSTANCE, "default", Keys.ANN_MASTER, "agent-a", Keys.ANN_VIP,
                "192.168.80.250"), outputs(lb));
        assertEquals(Map.of(Keys.ANN_INSTANCE, "llb-inst2", Keys.ANN_MASTER, "agent-c", Keys.ANN_VIP,
                "192.168.80.251"), outputs(lb2));
        assertEquals("onearm", lb2.getMetadata().getAnnotations().get("loxilb.io/lbmode"), "inputs untouched");
        Condition ready = condition(lb2);
        assertEquals("True", ready.getStatus());
        assertEquals("Served", ready.getReason());
        assertEquals("VIP 192.168.80.251 on llb-inst2, master agent-c (term 1)", ready.getMessage());
        assertEquals("2026-11-24T10:42:00Z", ready.getLastTransitionTime());
        assertEquals(List.of(Keys.FINALIZER), lb.getMetadata().getFinalizers());
        assertEquals(List.of(Keys.FINALIZER), lb2.getMetadata().getFinalizers());

        List<Event> events2 = events("tcp-lb2");
        assertEquals(List.of("Normal VIPAllocated allocated 192.168.80.251 from pool defaultPool",
                "Normal Placed placed on llb-inst2, master agent-c"), describe(events2));
        assertEquals(lb2.getMetadata().getUid(), events2.getFirst().getInvolvedObject().getUid());

        // idempotent: a second pass writes nothing
        cluster.clearRequests();
        assertTrue(reconciler.reconcileAll(plan).stream()
                .allMatch(r -> r.outcome() == ReconcileResult.Outcome.NOOP));
        assertTrue(cluster.requests().stream().allMatch(r -> r.verb().equals("get")), cluster.requests()::toString);
    }

    @Test
    void masterChangeMovesTheAnnotationAndTellsWhy() {
        ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()), Seed.placements());
        reconciler.reconcileAll(plan);
        plan = Seed.fold(plan, List.of(new Decision.InstanceMastered("llb-inst2", Seed.AGENT_B, 2,
                List.of("agent-a"), "agent-c missed beats since 10:42:00.510")));

        ReconcileResult r = reconciler.reconcile(plan, "default/tcp-lb2");

        assertEquals(List.of("metadata", "status", "event:MasterChanged"), r.actions());
        assertEquals("agent-b", get("tcp-lb2").getMetadata().getAnnotations().get(Keys.ANN_MASTER));
        assertTrue(describe(events("tcp-lb2")).contains("Normal MasterChanged agent-c missed beats since "
                + "10:42:00.510; llb-inst2 now on agent-b, term 2"));
        assertEquals("NOOP", reconciler.reconcile(plan, "default/tcp-lb").outcome().name(), "other instance");
    }

    @Test
    void malformedAnnotationGivesAWarningAndTouchesNothingElse() {
        ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()),
                List.of(Seed.placements().get(0), Seed.placements().get(1)));
        reconciler.reconcileAll(plan);
        Service lbBefore = get("tcp-lb");
        String reason = "loxilb.io/zoneinstance: unknown instance \"llb-inst9\" (valid: default, llb-inst1, llb-inst2)";
        plan = Seed.fold(plan, List.of(new Decision.ServiceRejected("default/tcp-lb2", List.of(reason))));
        cluster.clearRequests();

        reconciler.reconcileAll(plan);

        Service lb2 = get("tcp-lb2");
        assertEquals(List.of("Warning InvalidAnnotation " + reason), describe(events("tcp-lb2")));
        assertNull(lb2.getMetadata().getFinalizers() == null || lb2.getMetadata().getFinalizers().isEmpty()
                ? null : lb2.getMetadata().getFinalizers(), "no finalizer on a Service never given a VIP");
        assertEquals(Map.of(), outputs(lb2));
        assertTrue(lb2.getStatus().getLoadBalancer() == null
                || lb2.getStatus().getLoadBalancer().getIngress().isEmpty());
        assertEquals("InvalidAnnotation", condition(lb2).getReason());
        assertEquals(Seed.tcpLb2().getSpec().getPorts(), lb2.getSpec().getPorts(), "spec untouched");
        assertEquals(lbBefore.getMetadata().getResourceVersion(), get("tcp-lb").getMetadata().getResourceVersion(),
                "the other Service untouched");
        assertTrue(cluster.requests().stream().noneMatch(q -> q.verb().equals("patch")
                && q.resource().equals("services")), "no metadata write for a rejected Service");

        // the same rejection again (the user edited something else): one Event, count 2
        plan = Seed.fold(plan, List.of(new Decision.ServiceRejected("default/tcp-lb2", List.of(reason))));
        reconciler.reconcile(plan, "default/tcp-lb2");
        List<Event> events = events("tcp-lb2");
        assertEquals(1, events.size());
        assertEquals(2, events.getFirst().getCount());
    }

    @Test
    void deletionRemovesTheFinalizerOnlyOnceTheVipIsReleased() {
        ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()), Seed.placements());
        reconciler.reconcileAll(plan);

        user.services().inNamespace("default").withName("tcp-lb").delete();
        assertTrue(get("tcp-lb").getMetadata().getDeletionTimestamp() != null, "the finalizer holds it");

        assertEquals(ReconcileResult.Outcome.NOOP, reconciler.reconcile(plan, "default/tcp-lb").outcome(),
                "VIP still held in the plan: the finalizer stays");
        assertTrue(get("tcp-lb") != null);

        plan = Seed.fold(plan, List.of(new Decision.RuleRemoved("default/tcp-lb"),
                new Decision.VipReleased("default/tcp-lb", "192.168.80.250")));
        ReconcileResult r = reconciler.reconcile(plan, "default/tcp-lb");

        assertEquals(List.of("finalizer-"), r.actions());
        assertNull(get("tcp-lb"), "gone once the last finalizer went");
        assertEquals(ReconcileResult.Outcome.GONE, reconciler.reconcile(plan, "default/tcp-lb").outcome());
        assertEquals(List.of(Keys.FINALIZER), get("tcp-lb2").getMetadata().getFinalizers());
    }

    @Test
    void noZoneNamePublishesIpWithProxyModeAndIpv6HostnamesUseDashes() {
        Reconciler ip = new Reconciler(cluster.client(), BridgeConfig.defaults().withNoZoneName(true),
                Clock.systemUTC(), Duration.ofMillis(20));
        ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()), List.of(
                new Decision.VipAllocated("default/tcp-lb", "192.168.80.250", "defaultPool"),
                new Decision.VipAllocated("default/tcp-lb2", "2001:db8::fa", "v6pool")));
        ip.reconcile(plan, "default/tcp-lb");
        reconciler.reconcile(plan, "default/tcp-lb2");

        LoadBalancerIngress v4 = get("tcp-lb").getStatus().getLoadBalancer().getIngress().getFirst();
        assertEquals("192.168.80.250", v4.getIp());
        assertEquals("Proxy", v4.getIpMode());
        assertNull(v4.getHostname());
        assertEquals("llb-2001-db8--fa",
                get("tcp-lb2").getStatus().getLoadBalancer().getIngress().getFirst().getHostname());
        assertEquals("Pending", condition(get("tcp-lb2")).getReason(), "not placed yet");
    }

    @Test
    void statusIsWrittenOnlyThroughTheStatusSubresource() {
        ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()), Seed.placements());
        reconciler.reconcileAll(plan);
        List<ApiRequest> writes = cluster.requests().stream()
                .filter(r -> r.resource().startsWith("services") && !r.verb().equals("get")
                        && !r.verb().equals("create")).toList();
        assertTrue(writes.stream().anyMatch(r -> r.rbacLine().equals("update \"\" services/status")));
        for (ApiRequest w : writes) {
            boolean status = w.resource().equals("services/status") && w.verb().equals("update");
            boolean metadataPatch = w.resource().equals("services") && w.verb().equals("patch")
                    && w.contentType().startsWith("application/json-patch+json");
            assertTrue(status || metadataPatch, "unexpected Service write: " + w);
        }
    }

    private Service get(String name) {
        return user.services().inNamespace("default").withName(name).get();
    }

    private static void assertIngress(Service svc, String hostname, int port) {
        List<LoadBalancerIngress> ingress = svc.getStatus().getLoadBalancer().getIngress();
        assertEquals(1, ingress.size(), ingress::toString);
        assertEquals(hostname, ingress.getFirst().getHostname());
        assertNull(ingress.getFirst().getIp());
        assertEquals(port, ingress.getFirst().getPorts().getFirst().getPort());
        assertEquals("TCP", ingress.getFirst().getPorts().getFirst().getProtocol());
    }

    private static Map<String, String> outputs(Service svc) {
        Map<String, String> a = svc.getMetadata().getAnnotations();
        return a == null ? Map.of() : a.entrySet().stream().filter(e -> e.getKey().startsWith(Keys.OUTPUT_PREFIX))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Condition condition(Service svc) {
        return svc.getStatus().getConditions().stream().filter(c -> c.getType().equals(Keys.CONDITION_READY))
                .findFirst().orElseThrow();
    }

    /** Our Events on a Service, oldest first (the mock ignores involvedObject selectors: filter here). */
    private List<Event> events(String service) {
        return user.v1().events().inNamespace("default").withLabel(Keys.LABEL_MANAGED_BY, Keys.MANAGER).list()
                .getItems().stream().filter(e -> e.getInvolvedObject().getName().equals(service))
                .sorted(java.util.Comparator.comparing(e -> Long.parseLong(
                        e.getMetadata().getAnnotations().get(Keys.ANN_EVENT_SEQ)))).toList();
    }

    private static List<String> describe(List<Event> events) {
        return events.stream().map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage()).toList();
    }
}
