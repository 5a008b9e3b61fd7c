package io.shardlb.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.bridge.leader.LeaderElection;
import io.shardlb.bridge.leader.LeadershipListener;
import io.shardlb.bridge.leader.LeaseConfig;
import io.shardlb.bridge.out.Reconciler;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs everything the controller does against Kubernetes (leader election, informers, reconcile with Events,
 * deletion) and keeps the requests the API server saw as (verb, group, resource) lines: the list the chart's
 * RBAC test compares its ClusterRole with. Status must appear only as {@code update services/status}.
 */
class ControllerRequestsTest {
    static final Path RBAC_LIST = Path.of("src/test/resources/rbac/controller-requests.txt");
    @TempDir
    Path dir;

    @Test
    void theControllersRequestsAreRecordedForRbacAndStatusGoesOnlyThroughTheSubresource() throws Exception {
        try (MockCluster cluster = new MockCluster(dir)) {
            KubernetesClient user = cluster.userClient();
            user.services().inNamespace("default").resource(Seed.tcpLb()).create();
            user.services().inNamespace("default").resource(Seed.tcpLb2()).create();
            user.discovery().v1().endpointSlices().inNamespace("default")
                    .resource(Objects.slice("tcp-lb", "tcp-lb-abcde", "198.18.1.20", "node-1", true)).create();
            user.pods().inNamespace("kube-system")
                    .resource(Objects.agentPod("agent-a", "node-1", "198.18.0.2", true)).create();

            KubernetesClient controller = cluster.client();
            List<Fact> facts = Collections.synchronizedList(new ArrayList<>());
            LeaderElection election = new LeaderElection(controller, LeaseConfig.of("kube-system",
                    "shardlb-controller", "controller-0", Duration.ofSeconds(3)), new LeadershipListener() {
                        @Override
                        public void onStartLeading() {
                        }

                        @Override
                        public void onStopLeading() {
                        }
                    });
            election.start();
            Await.until("leadership", election::isLeading);
            try (KubeBridge bridge = new KubeBridge(controller, BridgeConfig.defaults(), ObservedImage.EMPTY,
                    facts::add)) {
                bridge.start(Duration.ofSeconds(60));
                Reconciler reconciler = new Reconciler(controller, BridgeConfig.defaults(), Clock.systemUTC(),
                        Duration.ofMillis(20));
                ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()),
                        Seed.placements());
                reconciler.reconcileAll(plan);
                String bad = "loxilb.io/epselect: unknown selection \"fastest\" (valid: hash, rr, persist, lc)";
                plan = Seed.fold(plan, List.of(new Decision.ServiceRejected("default/tcp-lb2", List.of(bad))));
                reconciler.reconcile(plan, "default/tcp-lb2");
                plan = Seed.fold(plan, List.of(new Decision.ServiceRejected("default/tcp-lb2", List.of(bad))));
                reconciler.reconcile(plan, "default/tcp-lb2"); // the repeat: count 2 on the same Event
                user.services().inNamespace("default").withName("tcp-lb").delete();
                Await.until("ServiceGone", () -> facts.stream().anyMatch(f -> f instanceof Fact.ServiceGone));
                plan = Seed.fold(plan, List.of(new Decision.VipReleased("default/tcp-lb", "192.168.80.250")));
                reconciler.reconcile(plan, "default/tcp-lb");
                Await.until("deleted", () -> user.services().inNamespace("default").withName("tcp-lb").get() == null);
            }
            election.close();

            List<ApiRequest> requests = cluster.controllerRequests();
            for (ApiRequest r : requests) {
                boolean writesService = r.resource().equals("services") && !List.of("get", "list", "watch")
                        .contains(r.verb());
                if (writesService) {
                    assertEquals("patch", r.verb(), "the main resource is only patched: " + r);
                    assertTrue(r.contentType().startsWith("application/json-patch+json"), r::toString);
                }
            }
            assertTrue(requests.stream().anyMatch(r -> r.rbacLine().equals("update \"\" services/status")));
            assertTrue(requests.stream().noneMatch(r -> r.resource().equals("services/status")
                    && !r.verb().equals("update")), "status only by full replace of the subresource");

            TreeSet<String> lines = new TreeSet<>();
            requests.forEach(r -> lines.add(r.rbacLine()));
            assertTrue(lines.stream().noneMatch(l -> l.contains("?")), lines::toString);
            List<String> out = new ArrayList<>();
            out.add("# verb apiGroup resource[/subresource] -- every request the controller made in "
                    + "ControllerRequestsTest (\"\" is the core group); regenerated by that test");
            out.addAll(lines);
            Files.createDirectories(RBAC_LIST.getParent());
            Files.write(RBAC_LIST, out);
        }
    }
}
