package io.shardlb.arbiter;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArbiterTest {
    private static final long MS = 1_000_000L;

    private final Arbiter arbiter = new Arbiter(LeaseSettings.DEFAULTS, 0);

    private static Heartbeat beat(String agent, long inc, long seq, List<Holding> holding) {
        return new Heartbeat(agent, inc, seq, 0, 400, holding, false, "10.0.0.1");
    }

    private static ReadProgress readToEnd(long fetchedAtMs) {
        return new ReadProgress(fetchedAtMs * MS, 2, Map.of(0, 5L, 1, 5L), Map.of(0, 5L, 1, 5L));
    }

    @Test
    void firstBeatOfAnIncarnationIsUpAndHoldingChangesAreFacts() {
        List<Fact> up = arbiter.onBeat(0, 1, beat("a", 1, 1, List.of()), 10 * MS);
        assertEquals(List.of(new Fact.AgentUp("a", 1, "10.0.0.1")), up);
        assertEquals(List.of(new Fact.VipBound("a", 1, "default", 2)),
                arbiter.onBeat(0, 2, beat("a", 1, 2, List.of(new Holding("default", 2))), 20 * MS));
        assertEquals(List.of(), arbiter.onBeat(1, 2, beat("a", 1, 1, List.of()), 25 * MS),
                "an older beat read late from the other partition changes no holding");
        assertEquals(List.of(new Fact.VipUnbound("a", 1, "default", 2, "released")),
                arbiter.onBeat(1, 3, beat("a", 1, 3, List.of()), 30 * MS));
    }

    @Test
    void downOnlyAfterLeasePlusMarginSinceReceiptAtTheFetch() {
        arbiter.onBeat(0, 1, beat("a", 1, 1, List.of(new Holding("default", 1))), 100 * MS);
        assertFalse(arbiter.wantsEndOffsets(699 * MS));
        assertTrue(arbiter.wantsEndOffsets(700 * MS));
        assertEquals(List.of(), arbiter.decide(readToEnd(699), 800 * MS),
                "the fetch came before leaseMs + margin had passed");
        List<Fact> down = arbiter.decide(readToEnd(700), 700 * MS);
        assertInstanceOf(Fact.AgentDown.class, down.getFirst());
        assertEquals(new Fact.VipUnbound("a", 1, "default", 1, "lease lapsed"), down.get(1));
        assertEquals(List.of(), arbiter.decide(readToEnd(900), 900 * MS), "never a second AgentDown");
        assertEquals(List.of(), arbiter.onBeat(0, 9, beat("a", 1, 9, List.of()), 950 * MS),
                "a late beat of a Down incarnation changes nothing");
        assertEquals(List.of(new Fact.AgentUp("a", 2, "10.0.0.1")),
                arbiter.onBeat(0, 9, beat("a", 2, 1, List.of()), 960 * MS));
    }

    @Test
    void anUnreadOrUnreachablePartitionMeansWait() {
        arbiter.onBeat(0, 1, beat("a", 1, 1, List.of()), 0);
        ReadProgress lagging = new ReadProgress(2000 * MS, 2, Map.of(0, 5L, 1, 9L), Map.of(0, 5L, 1, 8L));
        assertEquals(List.of(), arbiter.decide(lagging, 2000 * MS));
        ReadProgress unreachable = new ReadProgress(2000 * MS, 2, Map.of(0, 5L), Map.of(0, 5L, 1, 9L));
        assertEquals(List.of(), arbiter.decide(unreachable, 2000 * MS));
    }

    @Test
    void podFactsNeverShortenTheWait() {
        arbiter.onBeat(0, 1, beat("a", 1, 1, List.of()), 0);
        arbiter.onPodObserved(new Fact.AgentObserved("a", "node-1", "10.0.0.1", false, true));
        assertEquals(List.of(), arbiter.decide(readToEnd(599), 599 * MS));
        Fact.AgentDown down = (Fact.AgentDown) arbiter.decide(readToEnd(600), 600 * MS).getFirst();
        assertTrue(down.reason().contains("pod deleted"), down.reason());
    }

    @Test
    void aNewlyActiveArbiterStartsEveryTimerFromItsOwnStart() {
        AgentBook book = AgentBook.EMPTY.with(new Fact.AgentUp("a", 1, "x"))
                .with(new Fact.AgentUp("b", 4, "y")).with(new Fact.AgentDown("b", 4, "gone", 0));
        Arbiter fresh = Arbiter.resume(LeaseSettings.DEFAULTS, book, 5000 * MS);
        assertEquals(List.of(), fresh.decide(readToEnd(5599), 5599 * MS));
        assertEquals(List.of(), fresh.onBeat(0, 1, beat("b", 4, 8, List.of()), 5600 * MS));
        assertEquals("a", ((Fact.AgentDown) fresh.decide(readToEnd(5600), 5600 * MS).getFirst()).agent());
    }

    @Test
    void ticksOncePerSecondHoweverLateItIsCalled() {
        assertEquals(List.of(), arbiter.tick(999 * MS));
        assertEquals(List.of(new Fact.Tick()), arbiter.tick(1000 * MS));
        assertEquals(List.of(new Fact.Tick()), arbiter.tick(3500 * MS));
        assertEquals(List.of(), arbiter.tick(4000 * MS));
        assertEquals(List.of(new Fact.Tick()), arbiter.tick(4500 * MS));
    }

    @Test
    void theBrokenVariantDecidesOnUnreadBeats() {
        Arbiter broken = new Arbiter(LeaseSettings.DEFAULTS, EndOffsetRule.DECIDE_ON_WHAT_WAS_READ,
                ArbiterState.resume(AgentBook.EMPTY, 0));
        broken.onBeat(0, 1, beat("a", 1, 1, List.of()), 0);
        ReadProgress lagging = new ReadProgress(600 * MS, 2, Map.of(0, 5L, 1, 9L), Map.of(0, 5L, 1, 1L));
        assertEquals(1, broken.decide(lagging, 600 * MS).size());
    }
}
