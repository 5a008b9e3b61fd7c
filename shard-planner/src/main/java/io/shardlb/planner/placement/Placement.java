package io.shardlb.planner.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Placement of VIPs on instances, pure functions over a {@link PlacementImage}. The unit of placement is the
 * VIP: Services sharing one share its instance.
 * <ul>
 *   <li>A new VIP goes to its pin, else to the instance with the fewest VIPs (ties: lowest index).</li>
 *   <li>Placement is sticky: a VIP moves only when its pin changes or its instance disappears (N shrank).
 *       Unlike kube-loxilb's in-memory round-robin counter, nothing here depends on the order of restarts.</li>
 * </ul>
 */
public final class Placement {
    private Placement() {
    }

    /** The instance for a new VIP: {@code pin} when it is a current instance, else the least loaded one. */
    public static int instanceForNewVip(PlacementImage image, OptionalInt pin) {
        if (pin.isPresent() && pin.getAsInt() >= 0 && pin.getAsInt() < image.names().count()) {
            return pin.getAsInt();
        }
        return leastLoaded(image.names().count(), image::vipCount);
    }

    /**
     * The lowest VIP (address order) a Service may share: on {@code pin} when pinned, anywhere otherwise, and
     * accepted by {@code compatible} (IPAM's test: shared mode, disjoint ports, same family).
     */
    public static Optional<VipSlot> sharableVip(PlacementImage image, OptionalInt pin, Predicate<VipSlot> compatible) {
        for (VipSlot slot : image.vips().values()) {
            if (slot.placed() && (pin.isEmpty() || slot.instance() == pin.getAsInt()) && compatible.test(slot)) {
                return Optional.of(slot);
            }
        }
        return Optional.empty();
    }

    /** Every change the image requires (after a configuration change: scans all VIPs). */
    public static List<PlacementChange> requiredChanges(PlacementImage image) {
        return requiredChanges(image, image.vips().keySet());
    }

    /**
     * The changes required for {@code vips} (after a Service's pin changed: its VIP), in address order. VIPs
     * leaving a retired instance go, one after the other, to the least loaded instance counting those already
     * moved.
     */
    public static List<PlacementChange> requiredChanges(PlacementImage image, Collection<String> vips) {
        int n = image.names().count();
        int[] counts = image.countsCopy(n);
        List<PlacementChange> out = new ArrayList<>();
        TreeSet<String> ordered = new TreeSet<>(VipOrder.INSTANCE);
        ordered.addAll(vips);
        for (String vip : ordered) {
            VipSlot slot = image.slot(vip);
            if (slot == null || !slot.placed()) {
                continue;
            }
            int reseatsBefore = out.size();
            int target = target(image, slot, counts, n, out);
            if (target != slot.instance()) {
                // Services leaving the VIP (Reseat, listed just before) do not move with it.
                TreeSet<String> moving = new TreeSet<>(slot.services());
                out.subList(reseatsBefore, out.size())
                        .forEach(c -> moving.remove(((PlacementChange.Reseat) c).service()));
                out.add(new PlacementChange.MoveVip(vip, slot.instance(), target, moving));
                counts[slot.instance()]--;
                counts[target]++;
            }
        }
        return out;
    }

    /** Where {@code slot} must sit; adds a Reseat for each Service pinned elsewhere than that. */
    private static int target(PlacementImage image, VipSlot slot, int[] counts, int n, List<PlacementChange> out) {
        TreeSet<Integer> pins = new TreeSet<>();
        for (String service : slot.services()) {
            image.pinIndex(service).ifPresent(pins::add);
        }
        if (pins.isEmpty()) {
            return slot.instance() < n ? slot.instance() : leastLoaded(n, i -> counts[i]);
        }
        // Pins that disagree cannot all be met by one VIP: it stays where one of them is met (or goes to the
        // lowest pin) and the Services pinned elsewhere are seated again.
        int keep = pins.contains(slot.instance()) ? slot.instance() : pins.first();
        if (pins.size() > 1) {
            for (String service : slot.services()) {
                OptionalInt pin = image.pinIndex(service);
                if (pin.isPresent() && pin.getAsInt() != keep) {
                    out.add(new PlacementChange.Reseat(service, slot.vip(), pin.getAsInt()));
                }
            }
        }
        return keep;
    }

    private static int leastLoaded(int n, java.util.function.IntUnaryOperator load) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (load.applyAsInt(i) < load.applyAsInt(best)) {
                best = i;
            }
        }
        return best;
    }
}
