package io.shardlb.planner.placement;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One VIP, the unit of placement: the instance it sits on and the Services that share it.
 *
 * @param vip      the address
 * @param instance index of its instance, {@link #UNPLACED} between allocation and placement
 * @param services Services holding the VIP, sorted (unmodifiable)
 */
public record VipSlot(String vip, int instance, SortedSet<String> services) {
    /** Allocated but not placed yet. */
    public static final int UNPLACED = -1;

    public VipSlot {
        services = Collections.unmodifiableSortedSet(new TreeSet<>(services));
    }

    /** Whether the VIP has been placed on an instance. */
    public boolean placed() {
        return instance != UNPLACED;
    }
}
