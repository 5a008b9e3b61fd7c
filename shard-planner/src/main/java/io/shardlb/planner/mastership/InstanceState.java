package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

import java.util.List;

/**
 * One instance's mastership: its master (null when none), the current term, the backups named with that term,
 * and a handover in flight (null when none). While a handover is pending, {@code master} is still the releasing
 * agent: an instance has one master or one pending handover, never two masters.
 *
 * @param master  the master named in {@code term}, null if none
 * @param term    current term, 0 before the first
 * @param backups backups named with the term, in order of preference
 * @param pending handover in flight, or null
 */
public record InstanceState(AgentRef master, long term, List<String> backups, Handover pending) {
    /** An instance that never had a master. */
    public static final InstanceState INITIAL = new InstanceState(null, 0L, List.of(), null);

    public InstanceState {
        backups = List.copyOf(backups);
    }
}
