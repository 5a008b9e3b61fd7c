package io.shardlb.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.Protocol;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Deltas from a control thread reach an engine owned by a loop thread, in order. */
class EngineControlTest {
    @Test
    void commandsAreAppliedByTheLoopThread() throws Exception {
        PacketEngine engine = new PacketEngine(EngineConfig.of(EngineFixture.AGENT, EngineFixture.AGENT_MAC)
                .withFlowCapacity(64));
        AtomicBoolean run = new AtomicBoolean(true);
        Thread[] loop = new Thread[1];
        EngineControl control = new EngineControl(engine, () -> LockSupport.unpark(loop[0]));
        loop[0] = Thread.ofPlatform().start(() -> {
            while (run.get()) {
                control.applyPending();
                LockSupport.parkNanos(50_000_000L);
            }
        });
        try {
            assertEquals(Outcome.APPLIED, control.upsertRule(EngineFixture.rule(Mode.DSR, Protocol.TCP,
                    List.of(EngineFixture.E1), List.of())));
            assertEquals(Outcome.APPLIED, control.claimVip(Addresses.fromInt(EngineFixture.VIP), Long.MAX_VALUE));
            assertTrue(control.counters("svc/80/TCP").isPresent());
            assertInstanceOf(Outcome.Refused.class, control.upsertRule(new io.shardlb.agent.forwarder.ServiceRule(
                    "v6", Addresses.parse("fd00::1"), 80, Protocol.TCP, Mode.DSR,
                    io.shardlb.agent.forwarder.Selection.HASH, null, null, null)));
            assertEquals(java.util.Map.of(), control.drops());
        } finally {
            run.set(false);
            loop[0].join();
            engine.close();
        }
    }
}
