package io.shardlb.events.log;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;

import java.util.ArrayList;
import java.util.List;

/** Realistic records for log tests; each carries its sequence number so order and completeness can be checked. */
public final class SampleRecords {
    private SampleRecords() {
    }

    /** A plan record: a full rule for service {@code svc-<i>}, with the id {@code <tag>-<i>}. */
    public static Outgoing rule(String tag, int i) {
        Decision d = new Decision.RuleSet("default/svc-" + i, "198.18.80." + (i % 250), List.of(new RulePort(80, "TCP")),
                "onearm", "hash", 0, List.of(), List.of(new RuleEndpoint(80, "TCP", "10.0.0." + (i % 250), 8080)),
                "llb-inst" + (i % 3));
        Envelope e = new Envelope(Envelope.CURRENT_VERSION, null, tag + "-" + i, Envelope.UNSET, "", i, d);
        return Outgoing.to(Topic.PLAN, e);
    }

    /** A batch of plan records {@code tag-from} … {@code tag-(from+n-1)}. */
    public static List<Outgoing> rules(String tag, int from, int n) {
        List<Outgoing> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(rule(tag, i));
        }
        return out;
    }

    /** A fact with the id {@code <tag>-<i>}. */
    public static Outgoing fact(String tag, int i) {
        Fact f = new Fact.AgentUp("agent-" + (i % 7), i, "198.18.0." + (i % 250));
        return Outgoing.to(Topic.EVENTS, new Envelope(Envelope.CURRENT_VERSION, null, tag + "-" + i, Envelope.UNSET,
                "", Envelope.UNSET, f));
    }

    /** A beat of {@code agent} with sequence number {@code seq}. */
    public static Envelope beat(String agent, long seq) {
        Heartbeat hb = new Heartbeat(agent, 1, seq, 0, 1500, List.of(new Holding("default", 3)), false, "198.18.0.2");
        return Envelope.of(hb, agent);
    }

    /** An instance mastered decision (small record). */
    public static Outgoing mastered(String tag, int i) {
        Decision d = new Decision.InstanceMastered("llb-inst" + (i % 3), new AgentRef("agent-a", 1), i, List.of(), "");
        return Outgoing.to(Topic.PLAN, new Envelope(Envelope.CURRENT_VERSION, null, tag + "-" + i, Envelope.UNSET, "",
                i, d));
    }
}
