package io.shardlb.planner.placement;

import io.shardlb.planner.instance.InstanceNames;

import io.shardlb.events.collect.HashTrie;
import org.pcollections.PSortedMap;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Immutable placement state (VIP → instance): which VIP each Service holds, the VIPs with their instance and
 * Services, the number of VIPs per instance, and each Service's pin as its annotations state it. Instances are
 * indexes (names from {@link #names()}). Changed only by {@link PlacementDelta}.
 * <p>
 * The planner looks up one Service's VIP, pin and slot on almost every decision, so the maps are hash tries (a
 * few cache lines per lookup, where a sorted tree of 10,000 keys walks fourteen levels, each comparing addresses
 * in {@link VipOrder}). Nothing that decides walks them in hash order: the VIPs in address order
 * ({@link #vips()}) are built on first use, once per image, for configuration changes and snapshots.
 */
public final class PlacementImage {
    /** Nothing placed, one instance. */
    public static final PlacementImage EMPTY = new PlacementImage(InstanceNames.SINGLE, HashTrie.empty(),
            HashTrie.empty(), HashTrie.empty(), new int[0]);

    private final InstanceNames names;
    private final HashTrie<String, String> vipOf;
    private final HashTrie<String, String> pins;
    final HashTrie<String, VipSlot> vips;
    private final int[] counts;
    /** {@link #vips} in address order, built on first use (immutable, so a racing second build is harmless). */
    private PSortedMap<String, VipSlot> sortedVips;

    PlacementImage(InstanceNames names, HashTrie<String, String> vipOf, HashTrie<String, String> pins,
                   HashTrie<String, VipSlot> vips, int[] counts) {
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
    public HashTrie<String, String> vipOf() {
        return vipOf;
    }

    /** Service → its pin as written in its annotations (persistent; absent when unpinned). */
    public HashTrie<String, String> pins() {
        return pins;
    }

    /** The slot of {@code vip}, null when no Service holds it. */
    public VipSlot slot(String vip) {
        return vips.get(vip);
    }

    /** VIP → its slot, in address order (built on first use: O(n log n) once per image). */
    public PSortedMap<String, VipSlot> vips() {
        PSortedMap<String, VipSlot> s = sortedVips;
        if (s == null) {
            s = vips.sorted(VipOrder.INSTANCE);
            sortedVips = s;
        }
        return s;
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
        return "PlacementImage{" + names + ", vips=" + vips().values() + ", pins=" + pins + "}";
    }
}
