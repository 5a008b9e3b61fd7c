package io.shardlb.agent.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetAdapterTest {
    @Test
    void oneRulePerPortWithItsEndpoints() {
        Decision.RuleSet set = new Decision.RuleSet("default/tcp-lb", "198.18.80.250",
                List.of(new RulePort(57002, "TCP"), new RulePort(53, "UDP")), "onearm", "", 0,
                List.of("198.18.0.0/16"),
                List.of(new RuleEndpoint(57002, "TCP", "10.0.0.1", 8080), new RuleEndpoint(57002, "TCP", "10.0.0.2",
                        8080), new RuleEndpoint(53, "UDP", "10.0.0.3", 5353)), "llb-inst1");
        List<ServiceRule> rules = RuleSetAdapter.rules(set);
        assertEquals(2, rules.size());
        ServiceRule tcp = rules.get(0);
        assertEquals("default/tcp-lb/57002/tcp", tcp.id());
        assertEquals(Mode.ONEARM, tcp.mode());
        assertEquals(Selection.HASH, tcp.selection(), "hash is shardlb's default");
        assertEquals(ServiceRule.DEFAULT_TIMEOUT, tcp.inactivityTimeout());
        assertEquals(List.of(Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080)), tcp.endpoints());
        assertEquals(List.of(Endpoint.of("10.0.0.3", 5353)), rules.get(1).endpoints());
        assertEquals(Protocol.UDP, rules.get(1).protocol());
        assertTrue(tcp.allows(Addresses.parse("198.18.3.4")));
        assertFalse(tcp.allows(Addresses.parse("10.1.1.1")));
        assertEquals(List.of("default/tcp-lb/57002/tcp", "default/tcp-lb/53/udp"), RuleSetAdapter.ruleIds(set));
    }

    @Test
    void kubeLoxilbNamesParse() {
        assertEquals(Mode.FULLNAT, Mode.parse("fullnat"));
        assertEquals(Mode.DSR, Mode.parse("DSR"));
        assertEquals(Mode.DEFAULT, Mode.parse(""));
        assertEquals(Selection.LC, Selection.parse("lc"));
        assertEquals(Selection.PERSIST, Selection.parse("persist"));
        assertEquals(Selection.RR, Selection.parse("rr"));
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("tunnel"));
        assertEquals(Duration.ofSeconds(30), new ServiceRule("x", Addresses.parse("127.0.0.1"), 1, Protocol.TCP,
                Mode.DEFAULT, Selection.RR, Duration.ofSeconds(30), null, null).inactivityTimeout());
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("example.com"));
    }
}
