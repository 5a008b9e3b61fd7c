package io.shardlb.planner.placement;

import io.shardlb.planner.instance.InstanceNames;

import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Immutable placement state (VIP → instance): which VIP each Service holds, the VIPs with their instance and
 * Services, the number of VIPs per instance, and each Service's pin as its annotations state it. Instances are
 * indexes (names from {@link #names()}). Changed only by {@link PlacementDelta}.
 */
public final class PlacementImage {
    /** Nothing placed, one instance. */
    public static final PlacementImage EMPTY = new PlacementImage(InstanceNames.SINGLE, TreePMap.empty(),
            TreePMap.empty(), TreePMap.empty(VipOrder.INSTANCE), new int[0]);

    private final InstanceNames names;
    private final PSortedMap<String, String> vipOf;
    private final PSortedMap<String, String> pins;
    private final PSortedMap<String, VipSlot> vips;
    private final int[] counts;

    PlacementImage(InstanceNames names, PSortedMap<String, String> vipOf, PSortedMap<String, String> pins,
                   PSortedMap<String, VipSlot> vips, int[] counts) {
        this.names = names;
        this.vipOf = vipOf;
        this.pins = pins;
        this.vips = vips;
        this.counts = counts;
    }

    /** Instance names and count. */
    public InstanceNames names() {
        return names;
    }

    /** Service → the VIP it holds (persistent). */
    public PSortedMap<String, String> vipOf() {
        return vipOf;
    }

    /** Service → its pin as written in its annotations (persistent; absent when unpinned). */
    public PSortedMap<String, String> pins() {
        return pins;
    }

    /** VIP → its slot, in address order (persistent). */
    public PSortedMap<String, VipSlot> vips() {
        return vips;
    }

    /** The current instance index a Service's pin names, or empty (unpinned, or a name that is not current). */
    public OptionalInt pinIndex(String service) {
        String pin = pins.get(service);
        return pin == null ? OptionalInt.empty() : names.indexOf(pin);
    }

    /** The instance a Service sits on (through its VIP), or empty. */
    public OptionalInt instanceOf(String service) {
        String vip = vipOf.get(service);
        VipSlot slot = vip == null ? null : vips.get(vip);
        return slot == null || !slot.placed() ? OptionalInt.empty() : OptionalInt.of(slot.instance());
    }

    /** Number of placed VIPs on instance {@code index}. */
    public int vipCount(int index) {
        return index >= 0 && index < counts.length ? counts[index] : 0;
    }

    int[] countsCopy(int minLength) {
        return Arrays.copyOf(counts, Math.max(minLength, counts.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlacementImage p && names.equals(p.names) && vipOf.equals(p.vipOf) && pins.equals(p.pins)
                && vips.equals(p.vips) && Arrays.equals(trim(counts), trim(p.counts));
    }

    private static int[] trim(int[] counts) {
        int n = counts.length;
        while (n > 0 && counts[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(counts, n);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, vipOf, pins, vips, Arrays.hashCode(trim(counts)));
    }

    @Override
    public String toString() {
        return "PlacementImage{" + names + ", vips=" + vips.values() + ", pins=" + pins + "}";
    }
}
