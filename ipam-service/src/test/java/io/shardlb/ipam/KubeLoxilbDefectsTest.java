package io.shardlb.ipam;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.shardlb.ipam.Harness.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins down that none of kube-loxilb's IPAM defects (read from its source) is here. */
class KubeLoxilbDefectsTest {

    private static AllocationRequest ports(String... p) {
        return AllocationRequest.of(PortSet.parse(List.of(p)));
    }

    @Test
    void aPoolOfMoreThan254AddressesNeverHandsOutADuplicate() {
        Harness h = new Harness().configure("defaultPool=198.18.0.0/22", "", true, 30_000);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1022; i++) {
            assertTrue(seen.add(ip(h.allocate("s" + i, 80))), "duplicate at " + i);
        }
        assertInstanceOf(Allocation.Exhausted.class, h.allocate("one-too-many", 80));
        assertFalse(seen.contains("198.18.0.0"));
        assertFalse(seen.contains("198.18.3.255"));
        assertTrue(seen.contains("198.18.0.255") && seen.contains("198.18.1.0"), "inner .255/.0 are hosts in a /22");
    }

    @Test
    void aRangeCrossingAnOctetBoundaryWorks() {
        Harness h = new Harness().configure("defaultPool=198.18.0.250-198.18.1.10", "", true, 30_000);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 17; i++) {
            seen.add(ip(h.allocate("s" + i, 80)));
        }
        assertEquals(17, seen.size());
        assertTrue(seen.contains("198.18.0.255") && seen.contains("198.18.1.0") && seen.contains("198.18.1.10"));
        assertInstanceOf(Allocation.Exhausted.class, h.allocate("s17", 80));
    }

    @Test
    void poolsAreNotCappedAt65535Addresses() {
        Harness h = new Harness().configure("defaultPool=198.18.0.0/15", "", true, 30_000);
        assertEquals(BigInteger.valueOf(131_070), h.image.usage().getFirst().size());
        String last = null;
        for (int i = 0; i < 70_000; i++) {
            last = ip(h.allocate("s" + i, 80));
        }
        assertEquals(IpAddress.parse("198.18.0.1").plus(69_999).toString(), last);
        PoolUsage u = h.image.usage().getFirst();
        assertEquals(70_000, u.inUse());
        assertEquals(BigInteger.valueOf(131_070 - 70_000), u.free());
    }

    @Test
    void aPrefixNotAMultipleOf8NeverHandsOutNetworkOrBroadcast() {
        for (int prefix = 25; prefix <= 30; prefix++) {
            Harness h = new Harness().configure("p=198.18.7.0/" + prefix, "", true, 30_000);
            int hosts = (1 << (32 - prefix)) - 2;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < hosts; i++) {
                seen.add(ip(h.allocate("s" + i, 80)));
            }
            assertEquals(hosts, seen.size());
            assertFalse(seen.contains("198.18.7.0"), "network of /" + prefix);
            assertFalse(seen.contains("198.18.7." + (hosts + 1)), "broadcast of /" + prefix);
            assertInstanceOf(Allocation.Exhausted.class, h.allocate("extra", 80));
        }
    }

    @Test
    void sharedModeChecksEveryPortNotOnlyTheFirst() {
        Harness h = new Harness().configure("defaultPool=198.18.0.1-198.18.0.9", "", false, 30_000);
        String a = ip(h.allocate("a", ports("80/TCP", "443/TCP")));
        assertEquals("198.18.0.1", a);
        String b = ip(h.allocate("b", ports("8080/TCP", "443/TCP")));
        assertNotEquals(a, b, "443/TCP is taken on " + a);
        assertEquals(a, ip(h.allocate("c", ports("443/UDP", "53/UDP"))), "UDP and TCP are disjoint");
        assertEquals(b, ip(h.allocate("d", ports("80/TCP", "9000/TCP"))), "lowest VIP whose ports are all free");
        Allocation.Granted multi = assertInstanceOf(Allocation.Granted.class, h.allocate("e",
                ports("1/TCP", "2/TCP", "3/SCTP")));
        assertEquals(1, multi.vips().size(), "one VIP for all ports");
    }

    @Test
    void exhaustionNeverEndsTheProcessAndAllocationGoesOn() {
        Harness h = new Harness().configure("defaultPool=198.18.0.1/32", "", true, 0);
        h.allocate("a", 80);
        for (int i = 0; i < 100; i++) {
            assertInstanceOf(Allocation.Exhausted.class, h.allocate("w" + i, 80));
        }
        h.delete("a");
        assertEquals("198.18.0.1", ip(h.allocate("b", 80)));
    }
}
