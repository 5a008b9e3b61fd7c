package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.shardlb.bridge.in.FactDiffer;
import io.shardlb.bridge.in.ServiceTranslator;
import io.shardlb.bridge.out.DesiredService;
import io.shardlb.bridge.out.Notice;
import io.shardlb.bridge.out.ServiceModel;
import io.shardlb.bridge.out.ServicePlan;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 random Services (annotations, ports, classes, families, nulls) through the translator, the wire form
 * of the facts, the differ and, with plan decisions standing in for the planner's answers, the model: nothing
 * throws, and every rejection reaches the user as a Warning naming its fault.
 */
class FuzzTest {
    static final String[] CLASSES = {Keys.CLASS_LOXILB, Keys.CLASS_SHARDLB, "example.com/other", "", null};
    static final String[] TYPES = {"LoadBalancer", "LoadBalancer", "LoadBalancer", "ClusterIP", "NodePort", null};
    static final String[] KEYS = {"loxilb.io/lbmode", "loxilb.io/zoneinstance", "loxilb.io/poolSelect",
            "loxilb.io/staticIP", "loxilb.io/epselect", "loxilb.io/timeout", "loxilb.io/ipam", "shardlb.io/lbmode",
            "shardlb.io/endpoints", "status.shardlb.io/vip", "status.shardlb.io/x", "other.io/y", "loxilb.io/",
            "loxilb.io/ünïcode", ""};
    static final String[] FAMILIES = {"IPv4", "IPv6", "IPv7", "", null};
    static final String[] PROTOCOLS = {"TCP", "UDP", "SCTP", "tcp", "", null, "ICMP"};

    @Test
    void tenThousandRandomServicesNeverThrow() {
        Random rnd = new Random(20261124L);
        ServiceTranslator translator = new ServiceTranslator(rnd.nextBoolean());
        ServiceModel model = new ServiceModel(BridgeConfig.defaults());
        int ours = 0;
        int rejected = 0;
        for (int i = 0; i < 10_000; i++) {
            Service svc = randomService(rnd, i);
            var fact = translator.translate(svc);
            if (fact.isEmpty()) {
                continue;
            }
            ours++;
            Fact.ServiceObserved o = fact.get();
            assertTrue(o.annotations().keySet().stream().noneMatch(k -> k.startsWith(Keys.OUTPUT_PREFIX)));
            Envelope back = RecordCodec.decode(RecordCodec.encode(Envelope.of(o, "kube-bridge")), Topic.EVENTS, 1,
                    "fuzz@" + i);
            assertEquals(o, back.payload());
            assertEquals(List.of(o), FactDiffer.service(ObservedImage.EMPTY, o.service(),
                    java.util.Optional.of(o)));

            List<Decision> answer = answer(rnd, o);
            ServiceStatusImage plan = Seed.fold(Seed.fold(ServiceStatusImage.EMPTY, Seed.masters()), answer);
            ServicePlan sp = plan.service(o.service()).orElse(ServicePlan.empty(o.service()));
            DesiredService desired = model.desired(svc, true, sp, plan.termOf(sp));
            if (answer.getFirst() instanceof Decision.ServiceRejected r) {
                rejected++;
                for (String reason : r.reasons()) {
                    assertTrue(desired.notices().stream().anyMatch(n -> n.warning() && n.message().equals(reason)
                            && n.reason().equals("InvalidAnnotation")), () -> "no warning for " + reason);
                }
                assertTrue(desired.ingress().isEmpty());
                assertEquals("False", desired.condition().orElseThrow().status());
            } else {
                assertEquals(1, desired.ingress().size());
            }
        }
        assertTrue(ours > 2_000 && rejected > 500, "ours=" + ours + " rejected=" + rejected);
    }

    /** What a planner would answer: reject an annotation it cannot parse, else allocate and place. */
    static List<Decision> answer(Random rnd, Fact.ServiceObserved o) {
        List<String> faults = new ArrayList<>();
        o.annotations().forEach((k, v) -> {
            if (v.isEmpty() || v.contains("!")) {
                faults.add(k + ": invalid value \"" + v + "\"");
            }
        });
        if (!faults.isEmpty()) {
            return List.of(new Decision.ServiceRejected(o.service(), faults));
        }
        String ip = rnd.nextBoolean() ? "192.168.80." + rnd.nextInt(256) : "2001:db8::" + Integer.toHexString(
                rnd.nextInt(65536));
        return List.of(new Decision.VipAllocated(o.service(), ip, "defaultPool"),
                new Decision.ServicePlaced(o.service(), List.of("default", "llb-inst1", "llb-inst2").get(rnd.nextInt(3))));
    }

    static Service randomService(Random rnd, int i) {
        Service s = new Service();
        if (rnd.nextInt(50) == 0) {
            return s; // no metadata, no spec
        }
        ObjectMeta meta = new ObjectMeta();
        meta.setName("svc-" + i);
        meta.setNamespace(rnd.nextInt(10) == 0 ? null : "ns-" + rnd.nextInt(5));
        meta.setUid(rnd.nextInt(20) == 0 ? null : "uid-" + i);
        if (rnd.nextInt(30) == 0) {
            meta.setDeletionTimestamp("2026-11-24T10:42:00Z");
        }
        Map<String, String> ann = new HashMap<>();
        for (int k = rnd.nextInt(6); k > 0; k--) {
            ann.put(KEYS[rnd.nextInt(KEYS.length)], randomValue(rnd));
        }
        meta.setAnnotations(rnd.nextInt(10) == 0 ? null : ann);
        s.setMetadata(meta);
        if (rnd.nextInt(40) == 0) {
            return s;
        }
        ServiceSpec spec = new ServiceSpec();
        spec.setType(TYPES[rnd.nextInt(TYPES.length)]);
        spec.setLoadBalancerClass(CLASSES[rnd.nextInt(CLASSES.length)]);
        List<String> fams = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
            fams.add(FAMILIES[rnd.nextInt(FAMILIES.length)]);
        }
        spec.setIpFamilies(rnd.nextInt(5) == 0 ? null : fams);
        spec.setLoadBalancerIP(rnd.nextBoolean() ? null : randomValue(rnd));
        List<ServicePort> ports = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            if (rnd.nextInt(20) == 0) {
                ports.add(null);
                continue;
            }
            ServicePort p = new ServicePort();
            p.setPort(rnd.nextInt(10) == 0 ? null : rnd.nextInt(70_000) - 1000);
            p.setProtocol(PROTOCOLS[rnd.nextInt(PROTOCOLS.length)]);
            p.setName(rnd.nextBoolean() ? null : "p" + k);
            p.setNodePort(rnd.nextBoolean() ? null : rnd.nextInt(40_000));
            p.setTargetPort(switch (rnd.nextInt(3)) {
                case 0 -> null;
                case 1 -> new IntOrString(rnd.nextInt(65_536));
                default -> new IntOrString(randomValue(rnd));
            });
            ports.add(p);
        }
        spec.setPorts(rnd.nextInt(10) == 0 ? null : ports);
        s.setSpec(spec);
        return s;
    }

    static String randomValue(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "";
            case 1 -> "onearm";
            case 2 -> "llb-inst" + rnd.nextInt(5);
            case 3 -> "bad!" + rnd.nextInt(100);
            case 4 -> "\u0000\n\"'{}";
            default -> Integer.toString(rnd.nextInt());
        };
    }

    @Test
    void noticeTypesFollowTheirWarningFlag() {
        assertEquals("Warning", new Notice(1, true, "Rejected", "x").type());
        assertEquals("Normal", new Notice(1, false, "Placed", "x").type());
    }
}
