package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

/**
 * A planned move of an instance in flight: {@code from} was told to release {@code instance@term}; once it
 * acknowledges ({@code VipUnbound}) or is declared Down, the next term names the new master.
 *
 * @param from         the master releasing the instance
 * @param to           the intended new master (re-chosen at completion if it is no longer eligible)
 * @param term         the term being released
 * @param startedAt    log time of the {@code InstanceHandover} decision
 * @param acknowledged whether {@code from} has reported the release
 */
public record Handover(AgentRef from, AgentRef to, long term, long startedAt, boolean acknowledged) {

    /** This handover, acknowledged. */
    public Handover acknowledge() {
        return new Handover(from, to, term, startedAt, true);
    }
}
