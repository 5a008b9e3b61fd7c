package io.shardlb.planner.placement;

import io.shardlb.events.collect.HashTrie;
import io.shardlb.planner.instance.InstanceNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link PlacementImage} as plain data for the planner's snapshot. Only what cannot be derived is written:
 * the names, the VIP slots and the pins; which VIP each Service holds and the VIP count per instance follow from
 * the slots. {@link #toImage()} rebuilds an image equal to the one written.
 *
 * @param count    number of instances
 * @param zone     zone of the names
 * @param zeroName name of instance 0
 * @param vips     every VIP slot, in address order
 * @param pins     Service → pin as written, sorted by Service
 */
public record PlacementSnapshot(int count, String zone, String zeroName, List<VipSlot> vips,
                                Map<String, String> pins) {

    /** The data of {@code image}. */
    public static PlacementSnapshot of(PlacementImage image) {
        InstanceNames n = image.names();
        return new PlacementSnapshot(n.count(), n.zone(), n.zeroName(), List.copyOf(image.vips().values()),
                new java.util.TreeMap<>(image.pins().sorted(java.util.Comparator.naturalOrder())));
    }

    /** The image this snapshot was taken of. */
    public PlacementImage toImage() {
        HashTrie<String, VipSlot> slots = HashTrie.empty();
        HashTrie<String, String> vipOf = HashTrie.empty();
        List<Integer> counts = new ArrayList<>();
        for (VipSlot s : vips) {
            slots = slots.put(s.vip(), s);
            for (String service : s.services()) {
                vipOf = vipOf.put(service, s.vip());
            }
            if (s.placed()) {
                while (counts.size() <= s.instance()) {
                    counts.add(0);
                }
                counts.set(s.instance(), counts.get(s.instance()) + 1);
            }
        }
        HashTrie<String, String> pinned = HashTrie.empty();
        for (Map.Entry<String, String> p : pins.entrySet()) {
            pinned = pinned.put(p.getKey(), p.getValue());
        }
        return new PlacementImage(new InstanceNames(count, zone, zeroName), vipOf, pinned, slots,
                counts.stream().mapToInt(Integer::intValue).toArray());
    }
}
