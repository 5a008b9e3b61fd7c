package io.shardlb.ipam;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of create / delete / change-ports / static / pool-select / time / restart-from-snapshot (with
 * and without changed pools), in unique and shared mode: invariant 1 of DESIGN.md holds at every step, no address
 * leaves its pool unless static (or kept and reported after a pool change), and replaying the recorded log into a
 * fresh image gives the same image for any split into batches.
 */
class IpamPropertiesTest {
    static final String V4 = "defaultPool=198.18.0.250/24,b=198.18.1.1-198.18.1.3";
    static final String V6 = "defaultPool=2001:db8::/126";
    static final String V4_AFTER = "defaultPool=198.18.0.252-198.18.0.255,b=198.18.1.2-198.18.1.6";
    static final String V6_AFTER = "defaultPool=2001:db8::2-2001:db8::5";
    static final List<String> PORTS = List.of("80/TCP", "443/TCP", "53/UDP", "80/UDP");
    static final List<String> STATICS = List.of("198.18.0.252", "198.18.1.2", "198.18.9.9", "2001:db8::2",
            "2001:db8:9::9");

    sealed interface Op {
    }

    record Create(String svc, List<String> ports, int families, String pool, String staticIp) implements Op {
    }

    record Delete(String svc) implements Op {
    }

    record ChangePorts(String svc, List<String> ports) implements Op {
    }

    record SetStatic(String svc, String staticIp) implements Op {
    }

    record PoolSelect(String svc, String pool) implements Op {
    }

    record Advance(long ms) implements Op {
    }

    record Restart(boolean changePools) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> svc = Arbitraries.of("ns/a", "ns/b", "ns/c", "ns/d", "ns/e", "ns/f", "ns/g");
        Arbitrary<List<String>> ports = Arbitraries.of(PORTS).set().ofMinSize(1).ofMaxSize(2).map(ArrayList::new);
        Arbitrary<String> pool = Arbitraries.of("", "", "b", "nope");
        Arbitrary<String> stat = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just(""),
                Arbitraries.of(STATICS));
        Arbitrary<Op> create = Combinators.combine(svc, ports, Arbitraries.integers().between(0, 2), pool, stat)
                .as(Create::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, create),
                net.jqwik.api.Tuple.of(3, svc.map(Delete::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(svc, ports).as(ChangePorts::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(svc, stat).as(SetStatic::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(svc, pool).as(PoolSelect::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(1_000L, 10_000L, 30_000L).map(Advance::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(Restart::new)));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void invariantsHoldAtEveryStepAndReplayReproducesTheImage(@ForAll("ops") List<Op> ops, @ForAll boolean unique,
                                                               @ForAll long seed) {
        Harness h = new Harness().configure(V4, V6, unique, 30_000);
        Map<String, Create> specs = new HashMap<>();
        for (Op op : ops) {
            step(h, specs, op);
            checkInvariants(h, unique);
        }
        checkReplay(h, new Random(seed));
    }

    private static void step(Harness h, Map<String, Create> specs, Op op) {
        switch (op) {
            case Create c -> submit(h, specs, c);
            case Delete d -> {
                specs.remove(d.svc());
                h.delete(d.svc());
            }
            case ChangePorts c -> update(h, specs, c.svc(), s -> new Create(s.svc(), c.ports(), s.families(),
                    s.pool(), s.staticIp()));
            case SetStatic s -> update(h, specs, s.svc(), x -> new Create(x.svc(), x.ports(), x.families(), x.pool(),
                    s.staticIp()));
            case PoolSelect p -> update(h, specs, p.svc(), x -> new Create(x.svc(), x.ports(), 0, p.pool(),
                    x.staticIp()));
            case Advance a -> h.tick(a.ms());
            case Restart r -> {
                IpamImage restored = IpamSnapshot.fromBytes(IpamSnapshot.toBytes(h.image));
                assertEquals(h.image, restored, "snapshot restores an equal image");
                h.image = restored;
                if (r.changePools()) {
                    h.configure(V4_AFTER, V6_AFTER, h.image.config().uniqueIp(), 30_000);
                    h.run(h.manager.reconcileConfig(h.image));
                    h.retry();
                }
            }
        }
    }

    private static void update(Harness h, Map<String, Create> specs, String svc,
                               java.util.function.UnaryOperator<Create> change) {
        Create current = specs.get(svc);
        if (current != null) {
            submit(h, specs, change.apply(current));
        }
    }

    private static AllocationRequest request(Create c) {
        Set<IpFamily> families = switch (c.families()) {
            case 0 -> Set.of(IpFamily.V4);
            case 1 -> Set.of(IpFamily.V6);
            default -> Set.of(IpFamily.V4, IpFamily.V6);
        };
        return new AllocationRequest(PortSet.parse(c.ports()), families, c.pool(),
                c.staticIp().isEmpty() ? List.of() : List.of(c.staticIp()), null);
    }

    private static void submit(Harness h, Map<String, Create> specs, Create c) {
        specs.put(c.svc(), c);
        AllocationRequest req = request(c);
        Allocation a = h.allocate(c.svc(), req);
        switch (a) {
            case Allocation.Granted g -> {
                assertEquals(req.families().size(), g.vips().size());
                assertEquals(req.families().size(), h.image.heldBy(c.svc()).size());
                for (Vip v : g.vips()) {
                    assertEquals(c.svc(), h.image.address(v.ip()).orElseThrow().holders().stream()
                            .filter(x -> x.service().equals(c.svc())).findFirst().orElseThrow().service());
                }
                assertTrue(!h.image.isPending(c.svc()));
            }
            case Allocation.Exhausted e -> assertTrue(h.image.isPending(c.svc()), "exhausted waits");
            case Allocation.Conflict x -> assertTrue(h.image.isPending(c.svc()), "conflict waits");
            case Allocation.Invalid i -> {
                // the planner rejects the Service and releases what it held
                specs.remove(c.svc());
                h.requests.remove(c.svc());
                h.run(h.manager.release(h.image, c.svc()));
                h.run(new Result<>(List.of(new Decision.ServiceRejected(c.svc(), List.of(i.reason()))), null));
            }
        }
    }

    static void checkInvariants(Harness h, boolean unique) {
        IpamImage img = h.image;
        for (AddressInfo a : img.addressesInUse()) {
            List<Holding> hs = a.holders();
            assertTrue(!hs.isEmpty());
            if (unique) {
                assertEquals(1, hs.size(), () -> "unique mode: " + a);
            }
            for (int i = 0; i < hs.size(); i++) {
                for (int j = i + 1; j < hs.size(); j++) {
                    assertTrue(PortSet.parse(hs.get(i).ports()).disjoint(PortSet.parse(hs.get(j).ports())),
                            () -> "shared VIP with overlapping ports: " + a);
                }
            }
            IpAddress ip = IpAddress.parse(a.ip());
            if (a.pool().isEmpty()) {
                for (Holding x : hs) {
                    AllocationRequest r = h.requests.get(x.service());
                    assertTrue(r != null && r.staticIps().contains(a.ip()), () -> "outside pools, not static: " + a);
                }
            } else {
                boolean inPool = img.config().pools().pool(ip.family(), a.pool()).map(p -> p.contains(ip))
                        .orElse(false);
                assertTrue(inPool || hs.stream().allMatch(x -> !x.keptReason().isEmpty()),
                        () -> "address left its pool without being kept: " + a);
            }
        }
        for (PoolUsage u : img.usage()) {
            assertEquals(u.size(), u.free().add(java.math.BigInteger.valueOf(u.inUse() + u.quarantined())));
            assertTrue(u.free().signum() >= 0);
        }
        for (String p : img.pendingInOrder()) {
            assertTrue(h.requests.containsKey(p), () -> "pending but unknown: " + p);
        }
    }

    static void checkReplay(Harness h, Random random) {
        List<LogEntry> log = h.log;
        assertEquals(h.image, replay(log, List.of(log.size())), "one batch");
        List<Integer> ones = new ArrayList<>();
        for (int i = 1; i <= log.size(); i++) {
            ones.add(i);
        }
        assertEquals(h.image, replay(log, ones), "one record per batch");
        for (int k = 0; k < 5; k++) {
            List<Integer> cuts = new ArrayList<>();
            for (int i = 1; i < log.size(); i++) {
                if (random.nextInt(4) == 0) {
                    cuts.add(i);
                }
            }
            cuts.add(log.size());
            assertEquals(h.image, replay(log, cuts), () -> "batches ending at " + cuts);
        }
    }

    /** Replays {@code log} from scratch, one delta per batch; {@code ends} are the exclusive batch ends. */
    static IpamImage replay(List<LogEntry> log, List<Integer> ends) {
        IpamImage img = IpamImage.EMPTY;
        int from = 0;
        for (int end : ends) {
            IpamDelta d = new IpamDelta(img);
            for (LogEntry e : log.subList(from, end)) {
                d.replay(e);
            }
            img = d.apply();
            from = end;
        }
        if (from != log.size()) {
            fail("batches do not cover the log");
        }
        return img;
    }
}
