package io.shardlb.planner.placement;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random creates, deletes, pins, shared VIPs and changes of N, driven through {@link Placement} the way the
 * planner will drive it; after every fact: invariant 2 (placement part) and stickiness.
 */
class PlacementPropertiesTest {
    record Action(int kind, int service, int arg) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 6)).as(Action::new).list().ofMaxSize(80);
    }

    @Property(tries = 300)
    void invariantTwoAndStickinessAfterEveryFact(@ForAll("actions") List<Action> actions) {
        Driver d = new Driver();
        d.fact(config(3));
        for (Action a : actions) {
            String svc = "ns/svc-" + a.service();
            switch (a.kind()) {
                case 0, 1, 2 -> d.observe(svc, a.arg() < 3 ? "" : a.arg() == 3 ? "llb-inst0" : "llb-inst" + a.arg());
                case 3 -> d.gone(svc);
                case 4 -> d.fact(config(1 + a.arg()));
                default -> d.observe(svc, Objects.requireNonNullElse(d.image.pins().get(svc), ""));
            }
        }
    }

    @Test
    void newVipGoesToTheLeastLoadedInstanceAndStays() {
        Driver d = new Driver();
        d.fact(config(3));
        d.shareAllowed = false;
        for (int i = 0; i < 6; i++) {
            d.observe("ns/s" + i, "");
        }
        assertEquals(List.of(2, 2, 2), List.of(d.image.vipCount(0), d.image.vipCount(1), d.image.vipCount(2)));
        assertEquals(OptionalInt.of(0), d.image.instanceOf("ns/s0"));
        assertEquals(OptionalInt.of(1), d.image.instanceOf("ns/s1"));
        d.gone("ns/s1");
        d.observe("ns/s1", "");
        assertEquals(OptionalInt.of(1), d.image.instanceOf("ns/s1"), "ties go to the lowest index");
        d.fact(config(2));
        assertEquals(List.of(3, 3), List.of(d.image.vipCount(0), d.image.vipCount(1)));
        assertEquals(OptionalInt.of(0), d.image.instanceOf("ns/s0"), "VIPs on surviving instances stay");
    }

    static Fact.ConfigObserved config(int n) {
        return new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.0/24")), List.of(), false, n,
                "llb", false, "default", "", "", 0L, 5000L, false);
    }

    /** A stand-in for the planner: allocates VIPs (sharing when allowed), places, applies required changes. */
    static final class Driver {
        PlacementImage image = PlacementImage.EMPTY;
        boolean shareAllowed = true;
        int nextIp = 1;

        void fact(Fact fact) {
            Map<String, Integer> before = vipInstances();
            fold(List.of(fact));
            List<Decision> out = new ArrayList<>();
            List<PlacementChange> changes = fact instanceof Fact.ServiceObserved s && image.vipOf()
                    .containsKey(s.service()) ? Placement.requiredChanges(image, List.of(image.vipOf()
                    .get(s.service()))) : Placement.requiredChanges(image);
            List<String> moved = new ArrayList<>();
            for (PlacementChange c : changes) {
                switch (c) {
                    case PlacementChange.MoveVip m -> {
                        moved.add(m.vip());
                        m.services().forEach(s -> out.add(new Decision.ServicePlaced(s, name(m.to()))));
                    }
                    case PlacementChange.Reseat r -> out.add(new Decision.VipReleased(r.service(), r.vip()));
                }
            }
            fold(out);
            for (Map.Entry<String, Integer> e : before.entrySet()) {
                Integer now = vipInstances().get(e.getKey());
                boolean mustMove = e.getValue() >= image.names().count() || moved.contains(e.getKey());
                assertTrue(now == null || now.equals(e.getValue()) || mustMove, "sticky: " + e + " now " + now);
            }
            if (fact instanceof Fact.ServiceObserved s && !image.vipOf().containsKey(s.service())) {
                seat(s.service());
            }
            for (PlacementChange c : changes) {
                if (c instanceof PlacementChange.Reseat r && !image.vipOf().containsKey(r.service())) {
                    seat(r.service());
                }
            }
            check();
        }

        void observe(String service, String pin) {
            TreeMap<String, String> annotations = new TreeMap<>();
            if (!pin.isEmpty()) {
                annotations.put("loxilb.io/zoneinstance", pin);
            }
            fact(new Fact.ServiceObserved(service, "u", "1", "", List.of(new ServicePort("", 80, "TCP", "", 0)),
                    List.of(), "", "", List.of(), "", annotations, List.of()));
        }

        void gone(String service) {
            String vip = image.vipOf().get(service);
            fold(vip == null ? List.of(new Fact.ServiceGone(service, "u"))
                    : List.of(new Fact.ServiceGone(service, "u"), new Decision.VipReleased(service, vip)));
            check();
        }

        void seat(String service) {
            OptionalInt pin = image.pinIndex(service);
            var shared = shareAllowed ? Placement.sharableVip(image, pin, slot -> slot.services().size() < 3)
                    : java.util.Optional.<VipSlot>empty();
            String vip = shared.map(VipSlot::vip).orElse("198.18.80." + nextIp++);
            int instance = shared.map(VipSlot::instance).orElseGet(() -> Placement.instanceForNewVip(image, pin));
            fold(List.of(new Decision.VipAllocated(service, vip, "defaultPool"),
                    new Decision.ServicePlaced(service, name(instance))));
        }

        String name(int index) {
            return image.names().name(index);
        }

        void fold(List<? extends io.shardlb.events.schema.Payload> records) {
            PlacementDelta delta = new PlacementDelta(image);
            records.forEach(r -> delta.replay(r, 0L));
            image = delta.apply();
        }

        Map<String, Integer> vipInstances() {
            Map<String, Integer> out = new HashMap<>();
            image.vips().values().forEach(s -> out.put(s.vip(), s.instance()));
            return out;
        }

        /** Invariant 2: one current instance per Service, its pin if pinned; sharers share it; counts agree. */
        void check() {
            int n = image.names().count();
            int[] counts = new int[n];
            for (VipSlot slot : image.vips().values()) {
                assertTrue(slot.placed() && slot.instance() < n, "placed on a current instance: " + slot);
                counts[slot.instance()]++;
                for (String s : slot.services()) {
                    assertEquals(slot.vip(), image.vipOf().get(s));
                    OptionalInt pin = image.pinIndex(s);
                    assertTrue(pin.isEmpty() || pin.getAsInt() == slot.instance(), s + " pinned " + pin + " " + slot);
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(counts[i], image.vipCount(i), "VIPs on instance " + i);
            }
        }
    }
}
