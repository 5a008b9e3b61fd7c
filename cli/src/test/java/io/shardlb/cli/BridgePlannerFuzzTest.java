package io.shardlb.cli;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.shardlb.bridge.BridgeConfig;
import io.shardlb.bridge.in.ServiceTranslator;
import io.shardlb.bridge.out.DesiredService;
import io.shardlb.bridge.out.ServiceModel;
import io.shardlb.bridge.out.ServicePlan;
import io.shardlb.bridge.out.ServiceStatusDelta;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 random Services (annotations loxilb.io/* and shardlb.io/* with random values, ports, classes,
 * families, requested IPs, nulls) through the real bridge translator and the real {@link Planner#step}, its
 * decisions folded into {@link ServiceStatusImage} and turned into the desired Service by {@link ServiceModel}:
 * no exception escapes, and every Service the planner rejected (settings or allocation) or warned about gets a
 * Warning Event whose message is the planner's fault, naming the annotation where one is at fault.
 */
class BridgePlannerFuzzTest {
    static final String[] CLASSES = {"loxilb.io/loxilb", "shardlb.io/shardlb", "example.com/other", "", null};
    static final String[] TYPES = {"LoadBalancer", "LoadBalancer", "LoadBalancer", "ClusterIP", null};
    static final String[] KEYS = {"loxilb.io/lbmode", "loxilb.io/zoneinstance", "loxilb.io/poolSelect",
            "loxilb.io/poolSelect6", "loxilb.io/staticIP", "loxilb.io/epselect", "loxilb.io/timeout",
            "loxilb.io/ipam", "loxilb.io/liveness", "loxilb.io/probetype", "shardlb.io/lbmode",
            "shardlb.io/endpoints", "status.shardlb.io/vip", "status.shardlb.io/x", "other.io/y", "loxilb.io/"};
    static final String[] VALUES = {"", "onearm", "fullnat", "dsr", "default", "hostonearm", "llb-inst1",
            "llb-inst7", "default", "defaultPool", "v6pool", "nopool", "ipv4", "ipv6", "dualstack", "hash", "rr",
            "persist", "lc", "fastest", "30", "-1", "x".repeat(300), "192.168.80.7", "fd00::9", "nodeport",
            "\u0000\n\"'{}", "yes"};
    static final String[] FAMILIES = {"IPv4", "IPv6", "IPv7", "", null};
    static final String[] PROTOCOLS = {"TCP", "UDP", "SCTP", "tcp", "", null};

    @Test
    void tenThousandRandomServicesThroughTranslatorAndPlanner() {
        Random rnd = new Random(20261125L);
        ServiceTranslator translator = new ServiceTranslator(true);
        ServiceModel model = new ServiceModel(BridgeConfig.defaults().withAcceptClassless(true));
        Fact.ConfigObserved config = new Fact.ConfigObserved(List.of(new Pool("defaultPool", "192.168.80.0/23")),
                List.of(new Pool("v6pool", "fd00::/120")), rnd.nextBoolean(), 3, "llb", false, "default",
                "default", "hash", 30_000, 2_000, true);
        Fuzz fuzz = new Fuzz();
        fuzz.fact(config);
        Map<String, Service> live = new HashMap<>();
        int rejected = 0;
        Map<String, Integer> kinds = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Service svc = randomService(rnd, i);
            Optional<Fact.ServiceObserved> fact = translator.translate(svc);
            if (fact.isEmpty()) {
                continue;
            }
            Fact.ServiceObserved o = fact.get();
            live.put(o.service(), svc);
            List<Decision> decisions = new ArrayList<>(fuzz.fact(o));
            decisions.addAll(fuzz.fact(new Fact.EndpointsObserved(o.service(),
                    List.of(new Endpoint("10.1." + (i % 250) + ".1", 80, "", "TCP", true, "node-1")))));
            if (rnd.nextInt(3) == 0 && !live.isEmpty()) { // free addresses now and then
                String gone = live.keySet().iterator().next();
                decisions.addAll(fuzz.fact(new Fact.ServiceGone(gone, "")));
                live.remove(gone);
            }
            for (Decision d : decisions) {
                List<String> faults = switch (d) {
                    case Decision.ServiceRejected r -> r.reasons();
                    case Decision.AllocationRejected r -> List.of(r.reason());
                    case Decision.ServiceWarned w -> w.warnings();
                    default -> List.of();
                };
                if (faults.isEmpty() || !live.containsKey(d.subject())) {
                    continue;
                }
                rejected++;
                kinds.merge(d.getClass().getSimpleName(), 1, Integer::sum);
                ServicePlan plan = fuzz.status.service(d.subject()).orElseThrow();
                DesiredService desired = model.desired(live.get(d.subject()), true, plan,
                        fuzz.status.termOf(plan));
                for (String fault : faults) {
                    assertTrue(desired.notices().stream().anyMatch(n -> n.warning() && n.message().equals(fault)),
                            () -> "no Warning for \"" + fault + "\" on " + d.subject());
                    assertTrue(!fault.isBlank(), "a fault names something");
                }
                if (d instanceof Decision.ServiceRejected) {
                    assertTrue(desired.ingress().isEmpty(), "a rejected Service gets no ingress");
                    assertTrue("False".equals(desired.condition().orElseThrow().status()));
                }
            }
        }
        int seen = rejected;
        assertTrue(seen > 500, () -> "too few rejections exercised: " + seen);
        for (String kind : List.of("ServiceRejected", "AllocationRejected", "ServiceWarned")) {
            assertTrue(kinds.getOrDefault(kind, 0) > 0, () -> kind + " never exercised: " + kinds);
        }
    }

    /** The planner and the status image, stepped along one log. */
    private static final class Fuzz {
        PlannerImage planner = PlannerImage.EMPTY;
        ServiceStatusImage status = ServiceStatusImage.EMPTY;
        long eventsOffset = -1;
        long planOffset = -1;
        long time = 1_800_000_000_000L;

        List<Decision> fact(Fact f) {
            time += 7;
            Step s = Planner.step(planner, new LogEntry(Topic.EVENTS, 0, ++eventsOffset,
                    Envelope.of(f, "kube-bridge").withLogTime(time)));
            planner = s.next();
            ServiceStatusDelta d = status.delta();
            for (Decision decision : s.decisions()) {
                d.replay(new LogEntry(Topic.PLAN, 0, ++planOffset,
                        Envelope.decision(decision, "planner", eventsOffset).withLogTime(time)));
            }
            status = d.apply();
            return s.decisions();
        }
    }

    static Service randomService(Random rnd, int i) {
        Service s = new Service();
        if (rnd.nextInt(60) == 0) {
            return s;
        }
        ObjectMeta meta = new ObjectMeta();
        meta.setName("svc-" + i);
        meta.setNamespace(rnd.nextInt(10) == 0 ? null : "ns-" + rnd.nextInt(5));
        meta.setUid("uid-" + i);
        Map<String, String> ann = new HashMap<>();
        for (int k = rnd.nextInt(5); k > 0; k--) {
            ann.put(KEYS[rnd.nextInt(KEYS.length)], VALUES[rnd.nextInt(VALUES.length)]);
        }
        meta.setAnnotations(rnd.nextInt(10) == 0 ? null : ann);
        s.setMetadata(meta);
        ServiceSpec spec = new ServiceSpec();
        spec.setType(TYPES[rnd.nextInt(TYPES.length)]);
        spec.setLoadBalancerClass(CLASSES[rnd.nextInt(CLASSES.length)]);
        List<String> fams = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
            fams.add(FAMILIES[rnd.nextInt(FAMILIES.length)]);
        }
        spec.setIpFamilies(rnd.nextInt(5) == 0 ? null : fams);
        spec.setIpFamilyPolicy(rnd.nextInt(3) == 0 ? "PreferDualStack" : null);
        spec.setLoadBalancerIP(rnd.nextInt(4) == 0 ? VALUES[rnd.nextInt(VALUES.length)] : null);
        List<ServicePort> ports = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            ServicePort p = new ServicePort();
            p.setPort(rnd.nextInt(10) == 0 ? null : rnd.nextInt(70_000) - 1000);
            p.setProtocol(PROTOCOLS[rnd.nextInt(PROTOCOLS.length)]);
            p.setName(rnd.nextBoolean() ? null : "p" + k);
            p.setNodePort(rnd.nextBoolean() ? null : rnd.nextInt(40_000));
            p.setTargetPort(rnd.nextBoolean() ? new IntOrString(rnd.nextInt(65_536)) : new IntOrString("http"));
            ports.add(p);
        }
        spec.setPorts(rnd.nextInt(10) == 0 ? null : ports);
        s.setSpec(spec);
        return s;
    }
}
