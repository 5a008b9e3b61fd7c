package io.shardlb.planner.replay;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** verify, history and state-at over a small recorded log. */
class ReplayToolsTest {
    private static final long T0 = 1_795_000_000_000L;
    private final List<LogEntry> events = new ArrayList<>();
    private final List<LogEntry> plan = new ArrayList<>();

    private void fact(Fact f) {
        long t = T0 + events.size() * 1000L;
        LogEntry e = new LogEntry(Topic.EVENTS, 0, events.size(), Envelope.of(f, "test").withLogTime(t));
        events.add(e);
    }

    private void record() {
        PlannerImage image = PlannerImage.EMPTY;
        for (LogEntry e : events) {
            Step s = Planner.step(image, e);
            image = s.next();
            for (Decision d : s.decisions()) {
                plan.add(new LogEntry(Topic.PLAN, 0, plan.size(),
                        Envelope.decision(d, "planner", e.offset()).withLogTime(e.logTime() + 3)));
            }
        }
    }

    private void scenario() {
        fact(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.250/24")), List.of(), true, 3,
                "llb", false, "default", "", "", 0, 5_000, false));
        fact(new Fact.AgentUp("agent-a", 1, "198.18.0.1"));
        fact(new Fact.AgentUp("agent-b", 1, "198.18.0.2"));
        fact(new Fact.AgentUp("agent-c", 1, "198.18.0.3"));
        fact(new Fact.ServiceObserved("default/tcp-lb", "u1", "1", "loxilb.io/loxilb",
                List.of(new ServicePort("", 57002, "TCP", "", 0)), List.of(), "", "", List.of(), "",
                new TreeMap<>(java.util.Map.of("loxilb.io/zoneinstance", "llb-inst1")), List.of()));
        String master = StateAt.at(events, Long.MAX_VALUE).ha().get(1).master().replace("#1", "");
        fact(new Fact.AgentDown(master, 1, "missed beats", T0 + 4_500));
        fact(new Fact.Tick());
        record();
    }

    @Test
    void verifiesARecordedPlanAndNamesAnAlteredDecision() {
        scenario();
        VerifyResult ok = PlanVerifier.verify(events, plan);
        assertInstanceOf(VerifyResult.Verified.class, ok, ok.describe());
        assertTrue(ok.describe().startsWith("verified " + plan.size() + " decisions over "), ok.describe());

        int victim = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).envelope().payload() instanceof Decision.VipAllocated) {
                victim = i;
            }
        }
        LogEntry original = plan.get(victim);
        Decision.VipAllocated a = (Decision.VipAllocated) original.envelope().payload();
        Decision.VipAllocated altered = new Decision.VipAllocated(a.service(), "198.18.80.99", a.pool(), a.ports());
        Envelope env = original.envelope();
        plan.set(victim, new LogEntry(Topic.PLAN, 0, original.offset(), new Envelope(env.schemaVersion(), null,
                env.id(), env.logTime(), env.writer(), env.basedOn(), altered)));
        VerifyResult bad = PlanVerifier.verify(events, plan);
        VerifyResult.Divergence d = assertInstanceOf(VerifyResult.Divergence.class, bad);
        assertEquals(original.offset(), d.planOffset());
        assertEquals(a, d.expected());
        assertEquals(altered, d.recorded());
        assertTrue(d.describe().contains("198.18.80.99"), d.describe());
    }

    @Test
    void historyAndStateAtTellTheServicesLife() {
        scenario();
        List<String> lines = ServiceHistory.of(events, "default/tcp-lb");
        assertTrue(lines.stream().anyMatch(l -> l.contains("default/tcp-lb placed on llb-inst1")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} llb-inst1 master agent-.#1 term 2 .*"
                + ": agent-.#1 Down \\(missed beats\\), no beat since .*")), String.join("\n", lines));

        StateAt before = StateAt.at(events, T0 + 4_000);
        StateAt after = StateAt.at(events, T0 + 6_000);
        assertEquals(3, before.ha().size());
        assertEquals(1, before.services().size());
        assertEquals("llb-inst1", before.services().getFirst().instance());
        String lost = before.ha().get(1).master();
        assertTrue(after.ha().stream().noneMatch(r -> r.master().equals(lost)), after.format());
        assertTrue(after.format().contains("default/tcp-lb"), after.format());
    }
}
