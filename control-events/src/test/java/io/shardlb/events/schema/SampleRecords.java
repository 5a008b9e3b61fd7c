package io.shardlb.events.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One realistic instance of every record type, as the seed scenario would produce it. */
public final class SampleRecords {
    private SampleRecords() {
    }

    /** Every payload type by type name; a test fails if a type of the schema is missing here. */
    public static Map<String, Payload> all() {
        Map<String, Payload> m = new LinkedHashMap<>();
        for (Payload p : List.of(
                new Fact.ConfigObserved(List.of(new Pool("defaultPool", "192.168.80.250/24")),
                        List.of(new Pool("v6pool", "2001:db8::/112")), true, 3, "llb", false, "default",
                        "default", "hash", 30_000, 2_000, false),
                new Fact.ServiceObserved("default/tcp-lb", "00000000-0000-0000-0000-000000000007", "1234",
                        "loxilb.io/loxilb", List.of(new ServicePort("", 57002, "TCP", "80", 31002)),
                        List.of("IPv4"), "SingleStack", "", List.of("198.18.0.0/15"), "Cluster",
                        new TreeMap<>(Map.of("loxilb.io/lbmode", "onearm")), List.of("status.shardlb.io/vip")),
                new Fact.ServiceGone("default/tcp-lb", "00000000-0000-0000-0000-000000000007"),
                new Fact.EndpointsObserved("default/tcp-lb",
                        List.of(new Endpoint("198.18.1.20", 80, "", "TCP", true, "node-1"),
                                new Endpoint("198.18.1.21", 80, "", "TCP", false, "node-2"))),
                new Fact.AgentObserved("agent-a", "node-1", "198.18.0.2", true, false),
                new Fact.AgentUp("agent-a", 1764064920000L, "198.18.0.2"),
                new Fact.AgentDown("agent-a", 1764064920000L, "missed beats", 1764065000510L),
                new Fact.Tick(),
                new Fact.AgentDraining("agent-a", 1764064920000L),
                new Fact.VipBound("agent-a", 1764064920000L, "llb-inst1", 7),
                new Fact.VipUnbound("agent-a", 1764064920000L, "llb-inst1", 7, "handover"),
                new Decision.VipAllocated("default/tcp-lb", "192.168.80.250", "defaultPool", List.of("57002/TCP")),
                new Decision.VipReleased("default/tcp-lb", "192.168.80.250"),
                new Decision.AllocationRejected("default/tcp-lb6", "pool defaultPool exhausted (5 addresses)"),
                new Decision.AllocationKept("default/old", "192.168.70.10", "outside every configured pool"),
                new Decision.ServiceRejected("default/bad",
                        List.of("loxilb.io/zoneinstance: unknown instance \"llb-inst9\" (valid: default, llb-inst1, llb-inst2)")),
                new Decision.ServiceWarned("default/tcp-lb",
                        List.of("status.shardlb.io/vip is an output annotation and is ignored")),
                new Decision.ServicePlaced("default/tcp-lb", "default"),
                new Decision.InstanceMastered("llb-inst1", new AgentRef("agent-c", 1764064930000L), 7,
                        List.of("agent-b", "agent-a"), "agent-a Down, no beat since 10:42:00.510"),
                new Decision.InstanceHandover("llb-inst1", new AgentRef("agent-c", 1764064930000L),
                        new AgentRef("agent-a", 1764065100000L), 8),
                new Decision.RuleSet("default/tcp-lb", "192.168.80.250", List.of(new RulePort(57002, "TCP")),
                        "onearm", "hash", 0, List.of(), List.of(new RuleEndpoint(57002, "TCP", "198.18.1.20", 80)),
                        "default"),
                new Decision.RuleRemoved("default/tcp-lb"),
                new Heartbeat("agent-a", 1764064920000L, 42, 1764065000510L, 400,
                        List.of(new Holding("default", 3)), false, "198.18.0.2"),
                new SnapshotChunk("planner", "planner-1200", 1200, 0, 1, "eyJpbWFnZSI6e319"))) {
            m.put(p.getClass().getSimpleName(), p);
        }
        return m;
    }

    /** A deterministic envelope for golden files. */
    public static Envelope envelope(Payload p) {
        long basedOn = p instanceof Decision ? 41 : Envelope.UNSET;
        String writer = switch (p) {
            case Fact f -> "controller";
            case Decision d -> "planner";
            case Heartbeat h -> h.agent();
            case SnapshotChunk s -> "planner";
        };
        return new Envelope(Envelope.CURRENT_VERSION, null, "00000000-0000-0000-0000-0000000000ff", Envelope.UNSET,
                writer, basedOn, p);
    }
}
