package io.shardlb.agent.control;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's fold of the plan: deltas, never the whole table; terms only grow; VIPs follow placement. */
class PlanTrackerTest {
    private static Decision.RuleSet rule(String service, String vip, String instance, int... ports) {
        List<RulePort> ps = java.util.Arrays.stream(ports).mapToObj(p -> new RulePort(p, "TCP")).toList();
        return new Decision.RuleSet(service, vip, ps, "onearm", "hash", 0, List.of(),
                List.of(new RuleEndpoint(ports[0], "TCP", "10.0.0.1", 8080)), instance);
    }

    @Test
    void aRuleSetUpsertsItsPortsAndRemovesOnlyThePortsItDropped() {
        PlanTracker t = new PlanTracker();
        List<RuleDelta> first = t.apply(rule("default/web", "127.0.80.250", "default", 80, 443));
        assertEquals(2, first.size());
        assertTrue(first.stream().allMatch(d -> d instanceof RuleDelta.Upsert));
        List<RuleDelta> second = t.apply(rule("default/web", "127.0.80.250", "default", 80));
        assertEquals(List.of(new RuleDelta.Remove("default/web/443/tcp")), second.stream()
                .filter(d -> d instanceof RuleDelta.Remove).toList());
        assertEquals(List.of(new RuleDelta.Remove("default/web/80/tcp")),
                t.apply(new Decision.RuleRemoved("default/web")));
        assertEquals(List.of(), t.apply(new Decision.RuleRemoved("default/web")));
    }

    @Test
    void termsOnlyGrowAndAHandoverMarksTheTermItReleases() {
        PlanTracker t = new PlanTracker();
        AgentRef a = new AgentRef("a", 1);
        AgentRef b = new AgentRef("b", 1);
        t.apply(new Decision.InstanceMastered("default", a, 5, List.of("b"), ""));
        t.apply(new Decision.InstanceMastered("default", b, 4, List.of(), "stale"));
        assertEquals(a, t.terms().get("default").master());
        t.apply(new Decision.InstanceHandover("default", a, b, 5));
        assertEquals(b, t.terms().get("default").handingOverTo());
        assertTrue(t.mastersAny("a"));
        t.apply(new Decision.InstanceMastered("default", b, 6, List.of(), ""));
        assertEquals(b, t.terms().get("default").master());
        assertTrue(!t.mastersAny("a"));
    }

    @Test
    void vipsAreThoseOfServicesOnTheHeldInstances() throws Exception {
        PlanTracker t = new PlanTracker();
        t.apply(rule("default/a", "127.0.80.250", "default", 80));
        t.apply(rule("default/b", "127.0.80.251", "llb-inst1", 80));
        t.apply(rule("default/c", "127.0.80.252", "", 80));
        t.apply(new Decision.ServicePlaced("default/c", "llb-inst1"));
        assertEquals(Set.of(InetAddress.getByName("127.0.80.251"), InetAddress.getByName("127.0.80.252")),
                t.vipsOn(Set.of("llb-inst1")));
        assertEquals(Set.of(), t.vipsOn(Set.of()));
    }

    @Test
    void aRuleThatCannotBeProgrammedChangesNothing() {
        PlanTracker t = new PlanTracker();
        t.apply(rule("default/a", "127.0.80.250", "default", 80));
        long version = t.version();
        assertThrows(IllegalArgumentException.class, () -> t.apply(rule("default/a", "not-an-ip", "default", 80)));
        assertEquals("127.0.80.250", t.rules().get("default/a").vip());
        assertEquals(version, t.version());
    }
}
