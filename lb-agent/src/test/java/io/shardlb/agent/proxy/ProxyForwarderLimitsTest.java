package io.shardlb.agent.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the proxy refuses or degrades, said through the API. */
class ProxyForwarderLimitsTest {
    private static ServiceRule rule(String vip, Mode mode) {
        return new ServiceRule("r", Addresses.parse(vip), 18081, Protocol.TCP, mode, Selection.HASH,
                Duration.ZERO, List.of(), List.of(Endpoint.of("127.0.0.1", 9)));
    }

    @Test
    void refusesNonLoopbackVipsAndDsrAndSaysDefaultIsDegraded() {
        try (ProxyForwarder p = ProxyForwarder.start(ProxyConfig.defaults())) {
            assertInstanceOf(Outcome.Refused.class, p.claimVip(Addresses.parse("198.18.0.100"), System.nanoTime()));
            assertInstanceOf(Outcome.Refused.class, p.upsertRule(rule("198.18.0.100", Mode.ONEARM)));
            assertInstanceOf(Outcome.Refused.class, p.upsertRule(rule("127.80.0.9", Mode.DSR)));
            assertInstanceOf(Outcome.Refused.class, p.support(Mode.DSR));
            Outcome d = p.upsertRule(rule("127.80.0.9", Mode.DEFAULT));
            assertInstanceOf(Outcome.Degraded.class, d);
            assertTrue(((Outcome.Degraded) d).limitation().contains("client"));
            assertEquals(Outcome.APPLIED, p.upsertRule(rule("127.80.0.9", Mode.FULLNAT)));
            assertEquals(Outcome.APPLIED, p.support(Mode.ONEARM));
        }
    }
}
