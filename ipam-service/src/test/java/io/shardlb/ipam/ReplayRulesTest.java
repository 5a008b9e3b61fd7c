package io.shardlb.ipam;

import io.shardlb.events.image.ReplayException;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay applies IPAM records and refuses the ones that break an invariant, naming record and position. */
class ReplayRulesTest {

    private static IpamImage configured(boolean unique) {
        IpamDelta d = new IpamDelta(IpamImage.EMPTY);
        d.replay(Harness.config("defaultPool=198.18.0.1-198.18.0.9", "v6=2001:db8::/64", unique, 30_000), 1_000);
        return d.apply();
    }

    private static LogEntry plan(long offset, Decision d) {
        return new LogEntry(Topic.PLAN, 0, offset, Envelope.of(d, "planner").withLogTime(5));
    }

    private static ReplayException rejects(IpamImage base, LogEntry entry, String... mentions) {
        IpamDelta d = new IpamDelta(base);
        ReplayException e = assertThrows(ReplayException.class, () -> d.replay(entry));
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), () -> e.getMessage() + " should mention " + m);
        }
        return e;
    }

    private static IpamImage fold(IpamImage base, Decision... ds) {
        IpamDelta d = new IpamDelta(base);
        for (Decision x : ds) {
            d.replay(x);
        }
        return d.apply();
    }

    @Test
    void image1PlusRecordsIsImage2() {
        IpamImage image1 = configured(true);
        IpamImage image2 = fold(image1, new Decision.VipAllocated("a", "198.18.0.1", "defaultPool", List.of("80/TCP")),
                new Decision.VipAllocated("b", "2001:db8::1", "v6", List.of("80/TCP")));
        assertEquals(2, image2.inUseCount());
        assertEquals("198.18.0.1", image2.heldBy("a").getFirst().ip());
        assertEquals(List.of("80/TCP"), image2.heldBy("b").getFirst().ports());
        assertEquals(image2, fold(image1, new Decision.VipAllocated("a", "198.18.0.1", "defaultPool",
                List.of("80/TCP")), new Decision.VipAllocated("b", "2001:db8:0::1", "v6", List.of("80/tcp"))));
        assertSame(image1, new IpamDelta(image1).apply(), "an untouched delta returns its base");
    }

    @Test
    void doubleAllocationInUniqueModeIsFatal() {
        IpamImage base = fold(configured(true), new Decision.VipAllocated("a", "198.18.0.1", "defaultPool"));
        rejects(base, plan(42, new Decision.VipAllocated("b", "198.18.0.1", "defaultPool")), "VipAllocated",
                "plan/0@42", "double allocation", "198.18.0.1", "held by a");
    }

    @Test
    void overlappingPortsOnASharedVipAreFatal() {
        IpamImage base = fold(configured(false), new Decision.VipAllocated("a", "198.18.0.1", "defaultPool",
                List.of("80/TCP", "443/TCP")));
        rejects(base, plan(7, new Decision.VipAllocated("b", "198.18.0.1", "defaultPool", List.of("443/TCP"))),
                "plan/0@7", "overlap");
        IpamImage shared = fold(base, new Decision.VipAllocated("b", "198.18.0.1", "defaultPool", List.of("53/UDP")));
        assertEquals(2, shared.address("198.18.0.1").orElseThrow().holders().size());
        rejects(base, plan(8, new Decision.VipAllocated("c", "198.18.0.1", "defaultPool")), "overlap");
    }

    @Test
    void releaseOfAFreeAddressIsFatal() {
        rejects(configured(true), plan(3, new Decision.VipReleased("a", "198.18.0.1")), "plan/0@3",
                "release of a free address 198.18.0.1");
        IpamImage held = fold(configured(true), new Decision.VipAllocated("a", "198.18.0.1", "defaultPool"));
        rejects(held, plan(4, new Decision.VipReleased("b", "198.18.0.1")), "not held by b");
        IpamImage released = fold(held, new Decision.VipReleased("a", "198.18.0.1"));
        rejects(released, plan(5, new Decision.VipReleased("a", "198.18.0.1")), "in quarantine");
        rejects(released, plan(6, new Decision.VipAllocated("a", "198.18.0.1", "defaultPool")), "quarantined");
    }

    @Test
    void anAddressOutsideItsPoolIsFatalUnlessStatic() {
        rejects(configured(true), plan(1, new Decision.VipAllocated("a", "198.18.0.10", "defaultPool")),
                "outside its pool");
        rejects(configured(true), plan(1, new Decision.VipAllocated("a", "198.18.0.5", "")), "lies in pool");
        IpamImage ok = fold(configured(true), new Decision.VipAllocated("a", "198.18.9.9", ""));
        assertEquals("", ok.heldBy("a").getFirst().pool());
    }

    @Test
    void quarantineEndsOnTheFirstFactPastIt() {
        IpamImage held = fold(configured(true), new Decision.VipAllocated("a", "198.18.0.1", "defaultPool"));
        IpamImage released = fold(held, new Decision.VipReleased("a", "198.18.0.1"));
        assertEquals(31_000, released.address("198.18.0.1").orElseThrow().quarantinedUntil());
        IpamDelta d = new IpamDelta(released);
        d.replay(new Fact.Tick(), 30_999);
        assertTrue(d.apply().address("198.18.0.1").isPresent());
        d.replay(new LogEntry(Topic.EVENTS, 0, 77, Envelope.of(new Fact.Tick(), "arbiter").withLogTime(31_000)));
        IpamImage after = d.apply();
        assertTrue(after.address("198.18.0.1").isEmpty());
        assertEquals(77, after.provenance().offset());
        assertEquals(9, after.usage().getFirst().free().intValue(), "all nine addresses free again");
    }

    @Test
    void decisionsFromThePlanTopicApplyAtTheClockOfTheFactsBeforeThem() {
        IpamImage held = fold(configured(true), new Decision.VipAllocated("a", "198.18.0.1", "defaultPool"));
        IpamDelta d = new IpamDelta(held);
        // the plan record was appended much later than the fact it answers: quarantine still counts from 1000
        d.replay(new LogEntry(Topic.PLAN, 0, 1, Envelope.of(new Decision.VipReleased("a", "198.18.0.1"), "planner")
                .withLogTime(900_000)));
        assertEquals(31_000, d.apply().address("198.18.0.1").orElseThrow().quarantinedUntil());
    }

    @Test
    void invalidPoolsInConfigObservedAreFatal() {
        IpamDelta d = new IpamDelta(IpamImage.EMPTY);
        Fact.ConfigObserved bad = new Fact.ConfigObserved(List.of(new io.shardlb.events.schema.Pool("a",
                "198.18.0.9-198.18.0.1")), List.of(), true, 1, "llb", false, "default", "", "", 30_000, 0, false);
        ReplayException e = assertThrows(ReplayException.class, () -> d.replay(new LogEntry(Topic.EVENTS, 0, 9,
                Envelope.of(bad, "controller").withLogTime(1))));
        assertTrue(e.getMessage().contains("events/0@9") && e.getMessage().contains("--cidrPools"), e.getMessage());
    }

    @Test
    void vipAllocatedWithoutPortsStillDecodesAndHoldsTheWholeAddress() {
        String old = "{\"v\":1,\"type\":\"VipAllocated\",\"id\":\"x\",\"writer\":\"planner\",\"body\":"
                + "{\"service\":\"a\",\"ip\":\"198.18.0.1\",\"pool\":\"defaultPool\"}}";
        Envelope e = RecordCodec.decode(old.getBytes(StandardCharsets.UTF_8), Topic.PLAN, 5, "plan/0@0");
        Decision.VipAllocated a = e.payload(Decision.VipAllocated.class);
        assertEquals(List.of(), a.ports());
        Decision.VipAllocated withPorts = new Decision.VipAllocated("a", "198.18.0.1", "p", List.of("80/TCP"));
        assertEquals(withPorts, RecordCodec.decode(RecordCodec.encode(Envelope.of(withPorts, "planner")),
                Topic.PLAN, 5, "plan/0@0").payload());
        IpamImage img = fold(configured(false), a);
        rejects(img, plan(1, new Decision.VipAllocated("b", "198.18.0.1", "defaultPool", List.of("1/UDP"))),
                "overlap");
    }
}
