package io.shardlb.planner.placement;

import java.util.SortedSet;

/** A change placement requires after a pin or the instance count changed. */
public sealed interface PlacementChange {

    /**
     * The whole VIP (with every Service sharing it) moves: emit {@code ServicePlaced{service, to}} for each of
     * {@code services}; the agents hand the VIP over as they see the new placement.
     */
    record MoveVip(String vip, int from, int to, SortedSet<String> services) implements PlacementChange {
    }

    /**
     * {@code service} is pinned to {@code pin} but shares {@code vip} with Services pinned elsewhere: it must
     * leave the VIP (release it) and be seated again on its pin, with its own or a shared VIP there.
     */
    record Reseat(String service, String vip, int pin) implements PlacementChange {
    }
}
