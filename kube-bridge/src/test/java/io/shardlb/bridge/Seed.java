package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.shardlb.bridge.out.ServiceStatusDelta;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;

import java.util.List;
import java.util.Map;

/** The seed guide's Services and the plan decisions a planner would take for them. */
public final class Seed {
    public static final AgentRef AGENT_A = new AgentRef("agent-a", 1);
    public static final AgentRef AGENT_B = new AgentRef("agent-b", 1);
    public static final AgentRef AGENT_C = new AgentRef("agent-c", 1);

    private Seed() {
    }

    /** {@code tcp-lb}: onearm, no pinned instance. */
    public static Service tcpLb() {
        return service("tcp-lb", 56002, Map.of("loxilb.io/lbmode", "onearm"));
    }

    /** {@code tcp-lb2}: pinned on {@code llb-inst2}. */
    public static Service tcpLb2() {
        return service("tcp-lb2", 57002, Map.of("loxilb.io/lbmode", "onearm", "loxilb.io/zoneinstance", "llb-inst2"));
    }

    public static Service service(String name, int port, Map<String, String> annotations) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(Keys.CLASS_LOXILB)
                .withSelector(Map.of("app", name))
                .addNewPort().withName("tcp").withPort(port).withProtocol("TCP")
                .withTargetPort(new IntOrString(80)).withNodePort(30000 + port % 1000).endPort()
                .withExternalTrafficPolicy("Cluster").endSpec().build();
    }

    /** Three instances mastered by three agents, as the arbiter and planner would start. */
    public static List<Decision> masters() {
        return List.of(
                new Decision.InstanceMastered("default", AGENT_A, 1, List.of("agent-b", "agent-c"), "agent-a Up"),
                new Decision.InstanceMastered("llb-inst1", AGENT_B, 1, List.of("agent-c", "agent-a"), "agent-b Up"),
                new Decision.InstanceMastered("llb-inst2", AGENT_C, 1, List.of("agent-a", "agent-b"), "agent-c Up"));
    }

    /** What the planner decides for the two seed Services with defaultPool=192.168.80.250/24, unique IPs. */
    public static List<Decision> placements() {
        return List.of(
                new Decision.VipAllocated("default/tcp-lb", "192.168.80.250", "defaultPool"),
                new Decision.ServicePlaced("default/tcp-lb", "default"),
                new Decision.VipAllocated("default/tcp-lb2", "192.168.80.251", "defaultPool"),
                new Decision.ServicePlaced("default/tcp-lb2", "llb-inst2"));
    }

    /** Folds decisions with sequence numbers following {@code image}'s last. */
    public static ServiceStatusImage fold(ServiceStatusImage image, List<? extends Decision> decisions) {
        ServiceStatusDelta d = image.delta();
        long seq = image.provenance().offset();
        for (Decision decision : decisions) {
            d.replay(new io.shardlb.events.log.LogEntry(io.shardlb.events.schema.Topic.PLAN, 0, ++seq,
                    io.shardlb.events.schema.Envelope.decision(decision, "planner", 0).withLogTime(seq)));
        }
        return d.apply();
    }
}
