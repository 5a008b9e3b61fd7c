package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static io.shardlb.ipam.Harness.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kube-loxilb's sequence for the seed's flags: {@code defaultPool=192.168.80.250/24} with {@code setUniqueIP}. */
class SeedSequenceTest {

    @Test
    void fiveServicesExhaustTheSeedPoolAndTheSixthGetsThroughOnlyAfterQuarantine() {
        Harness h = new Harness().configure("defaultPool=192.168.80.250/24", "", true, 30_000);
        assertEquals("192.168.80.250", ip(h.allocate("default/svc1", 80)));
        assertEquals("192.168.80.251", ip(h.allocate("default/svc2", 80)));
        assertEquals("192.168.80.252", ip(h.allocate("default/svc3", 80)));
        assertEquals("192.168.80.253", ip(h.allocate("default/svc4", 80)));
        assertEquals("192.168.80.254", ip(h.allocate("default/svc5", 80)));

        Allocation sixth = h.allocate("default/svc6", 80);
        Allocation.Exhausted ex = assertInstanceOf(Allocation.Exhausted.class, sixth);
        assertEquals("defaultPool", ex.pool());
        assertEquals(BigInteger.valueOf(5), ex.size());
        Decision last = h.decisions().getLast();
        Decision.AllocationRejected rejected = assertInstanceOf(Decision.AllocationRejected.class, last);
        assertTrue(rejected.reason().contains("defaultPool") && rejected.reason().contains("5 addresses"),
                rejected.reason());
        assertEquals(List.of("default/svc6"), h.image.pendingInOrder());

        assertEquals(List.of("192.168.80.252"), h.delete("default/svc3"));
        long releasedAt = h.now;
        assertInstanceOf(Allocation.Exhausted.class, h.retry().getFirst(), "quarantined, not free");
        h.tick(29_999);
        assertEquals(List.of("default/svc6"), h.image.pendingInOrder(), "still in quarantine");
        assertTrue(h.image.address("192.168.80.252").orElseThrow().quarantinedUntil() == releasedAt + 30_000);

        List<Allocation> retried = h.tick(1);
        assertEquals("192.168.80.252", ip(retried.getFirst()));
        assertEquals(List.of(), h.image.pendingInOrder());
        assertEquals("default/svc6", h.image.address("192.168.80.252").orElseThrow().holders().getFirst().service());
    }

    @Test
    void pendingServicesAreServedInArrivalOrder() {
        Harness h = new Harness().configure("defaultPool=198.18.0.1/32", "", true, 0);
        h.allocate("a", 80);
        h.allocate("b", 80);
        h.allocate("c", 80);
        assertEquals(List.of("b", "c"), h.image.pendingInOrder());
        h.delete("a");
        h.retry();
        assertEquals("b", h.image.address("198.18.0.1").orElseThrow().holders().getFirst().service());
        assertEquals(List.of("c"), h.image.pendingInOrder());
    }

    @Test
    void aGrowingPoolLetsPendingServicesThrough() {
        Harness h = new Harness().configure("defaultPool=198.18.0.1/32", "", true, 30_000);
        h.allocate("a", 80);
        h.allocate("b", 80);
        h.configure("defaultPool=198.18.0.1-198.18.0.2", "", true, 30_000);
        h.retry();
        assertEquals("198.18.0.2", h.image.heldBy("b").getFirst().ip());
    }

    @Test
    void everySplitOfTheSeedLogIntoBatchesReplaysToTheSameImage() {
        Harness h = new Harness().configure("defaultPool=192.168.80.250/24", "", true, 30_000);
        for (int i = 1; i <= 6; i++) {
            h.allocate("default/svc" + i, 80);
        }
        h.delete("default/svc3");
        h.tick(30_000);
        int n = h.log.size();
        assertTrue(n <= 16, "log of " + n);
        for (int mask = 0; mask < 1 << (n - 1); mask++) {
            List<Integer> ends = new java.util.ArrayList<>();
            for (int i = 1; i < n; i++) {
                if ((mask & (1 << (i - 1))) != 0) {
                    ends.add(i);
                }
            }
            ends.add(n);
            assertEquals(h.image, IpamPropertiesTest.replay(h.log, ends));
        }
    }
}
