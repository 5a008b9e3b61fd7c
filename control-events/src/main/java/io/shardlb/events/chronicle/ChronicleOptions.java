package io.shardlb.events.chronicle;

import net.openhft.chronicle.queue.RollCycles;

/**
 * Options of a Chronicle journal.
 *
 * @param rollCycle           how often a new queue file starts (e.g. {@code FAST_HOURLY}, {@code FAST_DAILY})
 * @param retainCycles        how many finished cycles to keep; 0 keeps everything (audit copies)
 * @param heartbeatPartitions partitions of the heartbeats topic in a new journal
 */
public record ChronicleOptions(RollCycles rollCycle, int retainCycles, int heartbeatPartitions) {
    /** Daily files, keep everything, two heartbeats partitions. */
    public static final ChronicleOptions DEFAULTS = new ChronicleOptions(RollCycles.FAST_DAILY, 0, 2);

    public ChronicleOptions {
        if (retainCycles < 0) {
            throw new IllegalArgumentException("retainCycles must be >= 0: retainCycles=" + retainCycles);
        }
        if (heartbeatPartitions < 1) {
            throw new IllegalArgumentException("heartbeatPartitions must be >= 1: " + heartbeatPartitions);
        }
    }

    /** Parses a roll cycle name such as {@code FAST_HOURLY}, naming the valid ones on error. */
    public static RollCycles rollCycle(String name) {
        try {
            return RollCycles.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown roll cycle: " + name + " (valid: "
                    + java.util.Arrays.toString(RollCycles.values()) + ")");
        }
    }
}
