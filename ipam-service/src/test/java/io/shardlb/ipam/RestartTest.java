package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardlb.ipam.Harness.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots restore equal images; a restart with changed pools keeps and reports what no longer fits. */
class RestartTest {

    @Test
    void aSnapshotRestoresAnEqualImage() {
        Harness h = new Harness().configure("defaultPool=198.18.0.1-198.18.0.3", "v6=2001:db8::/64", false, 30_000);
        h.allocate("a", AllocationRequest.of(PortSet.parse(List.of("80/TCP", "443/TCP")))
                .withFamilies(java.util.Set.of(IpFamily.V4, IpFamily.V6)));
        h.allocate("b", 53);
        h.allocate("c", 80);
        h.allocate("static", AllocationRequest.of(PortSet.of(80, "TCP")).withStatic(List.of("198.18.9.9")));
        h.delete("b");
        h.delete("c");
        h.allocate("d", 80);
        h.allocate("e", 80);
        assertTrue(h.image.quarantinedCount() > 0 && !h.image.pendingInOrder().isEmpty());
        byte[] bytes = IpamSnapshot.toBytes(h.image);
        IpamImage restored = IpamSnapshot.fromBytes(bytes);
        assertEquals(h.image, restored);
        assertEquals(h.image.usage(), restored.usage());
        assertEquals(h.image.pendingInOrder(), restored.pendingInOrder());
        // the restored image behaves the same: same next address
        IpamManager m = new IpamManager();
        assertEquals(m.allocate(h.image, "x", AllocationRequest.of(PortSet.of(22, "TCP"))),
                m.allocate(restored, "x", AllocationRequest.of(PortSet.of(22, "TCP"))));
    }

    @Test
    void changedPoolsKeepExistingAllocationsAndReportThem() {
        Harness h = new Harness().configure("defaultPool=198.18.0.250/24,old=198.18.3.1/32", "", true, 30_000);
        String a = ip(h.allocate("a", 80));
        String b = ip(h.allocate("b", AllocationRequest.of(PortSet.of(80, "TCP")).inPool("old")));
        // restart: defaultPool now overlaps the old address range differently, pool "old" is gone
        h.image = IpamSnapshot.fromBytes(IpamSnapshot.toBytes(h.image));
        h.configure("defaultPool=198.18.0.240-198.18.0.251", "", true, 30_000);
        List<Holding> kept = h.run(h.manager.reconcileConfig(h.image));
        assertEquals(1, kept.size());
        assertEquals(b, kept.getFirst().ip());
        assertTrue(kept.getFirst().keptReason().contains("old"), kept.getFirst().keptReason());
        assertInstanceOf(Decision.AllocationKept.class, h.decisions().getLast());
        assertEquals(a, h.image.heldBy("a").getFirst().ip(), "still held, not moved");
        assertEquals(b, h.image.heldBy("b").getFirst().ip(), "still held, not dropped");
        assertEquals(List.of(), h.run(h.manager.reconcileConfig(h.image)), "reported once");
        // new allocations never collide with the kept ones
        for (int i = 0; i < 11; i++) {
            assertNotEquals(a, ip(h.allocate("n" + i, 80)));
        }
        assertInstanceOf(Allocation.Exhausted.class, h.allocate("n11", 80));
        // the kept Service keeps its address when asked again with an unchanged request
        assertEquals(b, ip(h.allocate("b", AllocationRequest.of(PortSet.of(80, "TCP")).inPool("defaultPool")
                .withStatic(List.of(b)))));
    }
}
