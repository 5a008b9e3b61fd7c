package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.EngineFixture.AGENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.CLIENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.E1;
import static io.shardlb.agent.engine.EngineFixture.E2;
import static io.shardlb.agent.engine.EngineFixture.E3;
import static io.shardlb.agent.engine.EngineFixture.T0;
import static io.shardlb.agent.engine.EngineFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rr, persist and lc as a client sees them: which endpoint MAC each new flow is sent to. */
class PacketEngineSelectionTest {
    private static PacketEngine engine(Selection selection) {
        PacketEngine e = new PacketEngine(EngineConfig.of(EngineFixture.AGENT, AGENT_MAC).withFlowCapacity(1024));
        e.upsertRule(new ServiceRule("sel", Addresses.fromInt(VIP), 80, Protocol.TCP, Mode.ONEARM, selection,
                Duration.ofSeconds(30), List.of(), List.of(E1, E2, E3)));
        e.claimVip(Addresses.fromInt(VIP), T0 + Duration.ofHours(1).toNanos());
        return e;
    }

    private static long open(PacketEngine e, int client, int port, int flags) {
        byte[] f = RefFrames.l4Frame(RefFrames.TCP, CLIENT_MAC, AGENT_MAC, client, port, VIP, 80, flags, new byte[0],
                true);
        long v = EngineFixture.run(e, f, T0);
        assertEquals(Verdict.TX, Verdict.action(v), Verdict.describe(v));
        return RefFrames.mac(f, 0);
    }

    @Test
    void roundRobinCycles() {
        try (PacketEngine e = engine(Selection.RR)) {
            for (int i = 0; i < 9; i++) {
                assertEquals(List.of(E1, E2, E3).get(i % 3).mac().value(), open(e, EngineFixture.CLIENT, 5000 + i, 2));
            }
        }
    }

    @Test
    void persistKeepsAClientOnOneEndpoint() {
        try (PacketEngine e = engine(Selection.PERSIST)) {
            for (int c = 0; c < 20; c++) {
                int client = EngineFixture.CLIENT + c;
                long first = open(e, client, 6000, 2);
                for (int p = 1; p < 10; p++) {
                    assertEquals(first, open(e, client, 6000 + p, 2), "client " + c + " port " + p);
                }
            }
        }
    }

    @Test
    void leastConnectionsFillsTheEmptiestAndFollowsEndedFlows() {
        try (PacketEngine e = engine(Selection.LC)) {
            Map<Long, Integer> count = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                count.merge(open(e, EngineFixture.CLIENT, 7000 + i, 2), 1, Integer::sum);
            }
            assertEquals(Map.of(E1.mac().value(), 10, E2.mac().value(), 10, E3.mac().value(), 10), count);
            // close two flows on whichever endpoint the first two went to, with RST: they end after rstTimeout
            long firstEp = open(e, EngineFixture.CLIENT, 7000, 0x04);
            open(e, EngineFixture.CLIENT, 7003, 0x04);
            e.sweep(T0 + e.config().rstTimeout().toNanos() + 1, 4096);
            assertEquals(28, e.flowCount());
            assertEquals(firstEp, open(e, EngineFixture.CLIENT, 7100, 2), "the endpoint with fewest flows");
        }
    }
}
