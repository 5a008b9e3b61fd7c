package io.shardlb.planner.core;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RuleEndpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference scenario of DESIGN.md, decision by decision. */
class PlannerScenarioTest {

    @Test
    void seedScenarioPlacesMastersAndRules() {
        FactLog log = new FactLog();
        log.add(FactLog.config(3, true, "198.18.80.250/24"));
        log.add(new Fact.AgentUp("agent-a", 1, "198.18.0.1"));
        log.add(new Fact.AgentUp("agent-b", 1, "198.18.0.2"));
        log.add(new Fact.AgentUp("agent-c", 1, "198.18.0.3"));
        settle(log);
        List<AgentRef> masters = log.image.mastership().masters();
        assertEquals(3, masters.stream().map(AgentRef::agent).distinct().count(), "one instance each: " + masters);

        List<Decision> first = log.add(FactLog.service("default/tcp-lb", Map.of("loxilb.io/lbmode", "onearm"), 57002));
        assertEquals(new Decision.VipAllocated("default/tcp-lb", "198.18.80.250", "defaultPool", List.of("57002/TCP")),
                first.get(0));
        assertEquals(new Decision.ServicePlaced("default/tcp-lb", "default"), first.get(1));
        Decision.RuleSet rule = assertInstanceOf(Decision.RuleSet.class, first.get(2));
        assertEquals("onearm", rule.mode());
        assertEquals(3, first.size());

        List<Decision> pinned = log.add(FactLog.service("default/pinned", Map.of("loxilb.io/zoneinstance",
                "llb-inst2"), 80));
        assertEquals(new Decision.ServicePlaced("default/pinned", "llb-inst2"), pinned.get(1));
        assertEquals("198.18.80.251", ((Decision.VipAllocated) pinned.get(0)).ip());

        assertEquals(List.of(), log.add(FactLog.service("default/tcp-lb", Map.of("loxilb.io/lbmode", "onearm"),
                57002)), "a fact that changes nothing writes nothing");

        List<Decision> eps = log.add(FactLog.endpoints("default/tcp-lb", 2, 8080));
        Decision.RuleSet withEps = assertInstanceOf(Decision.RuleSet.class, eps.getFirst());
        assertEquals(List.of(new RuleEndpoint(57002, "TCP", "10.0.0.1", 8080),
                new RuleEndpoint(57002, "TCP", "10.0.0.2", 8080)), withEps.endpoints());

        List<Decision> bad = log.add(FactLog.service("default/bad", Map.of("loxilb.io/zoneinstance", "llb-inst9"), 80));
        Decision.ServiceRejected rejected = assertInstanceOf(Decision.ServiceRejected.class, bad.getFirst());
        assertTrue(rejected.reasons().getFirst().contains("llb-inst9"), rejected.toString());
        assertEquals(1, bad.size());

        List<Decision> gone = log.add(new Fact.ServiceGone("default/tcp-lb", "uid-default/tcp-lb"));
        assertEquals(List.of(new Decision.VipReleased("default/tcp-lb", "198.18.80.250"),
                new Decision.RuleRemoved("default/tcp-lb")), gone);

        byte[] snap = PlannerSnapshot.toBytes(log.image);
        assertEquals(log.image, PlannerSnapshot.fromBytes(snap));
    }

    static void settle(FactLog log) {
        for (int i = 0; i < 20 && log.image.mastership().pendingHandovers() > 0; i++) {
            for (int k = 0; k < log.image.mastership().names().count(); k++) {
                var h = log.image.mastership().instance(k).pending();
                if (h != null && !h.acknowledged()) {
                    log.add(new Fact.VipUnbound(h.from().agent(), h.from().incarnation(),
                            log.image.mastership().names().name(k), h.term(), "handover"));
                }
            }
        }
    }
}
