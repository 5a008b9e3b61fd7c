package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;

/**
 * What the planner knows of one agent from ha-arbiter's facts: its newest incarnation and that incarnation's
 * status, and the newest incarnation declared Down ({@code downThrough}). An older incarnation that was never
 * declared Down may still hold a valid lease, so instances it masters wait for the arbiter's verdict.
 *
 * @param agent       agent name
 * @param incarnation newest incarnation seen
 * @param status      status of that incarnation
 * @param downThrough every incarnation up to this one is surely over ({@link Long#MIN_VALUE}: none)
 */
public record AgentState(String agent, long incarnation, Status status, long downThrough) {

    /** The status of an agent's newest incarnation. */
    public enum Status {
        /** Beating, takes instances. */
        UP,
        /** Beating, gives its instances away one at a time, takes none. */
        DRAINING,
        /** Declared Down by the arbiter: its lease has surely lapsed. */
        DOWN
    }

    /** The newest incarnation. */
    public AgentRef ref() {
        return new AgentRef(agent, incarnation);
    }

    /** Whether this agent may be given instances: Up and not draining. */
    public boolean eligible() {
        return status == Status.UP;
    }

    /** Whether {@code ref} (an incarnation of this agent) is its current, not-Down incarnation. */
    public boolean isLive(AgentRef ref) {
        return ref.incarnation() == incarnation && status != Status.DOWN;
    }

    /** Whether {@code ref} is surely over: the arbiter declared it (or a later incarnation) Down. */
    public boolean isDead(AgentRef ref) {
        return ref.incarnation() <= downThrough;
    }
}
