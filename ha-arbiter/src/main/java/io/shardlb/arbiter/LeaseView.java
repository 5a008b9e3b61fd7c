package io.shardlb.arbiter;

import io.shardlb.events.schema.Holding;

import java.util.List;

/**
 * What the agent may do now, as {@link AgentLease#view} decides it.
 *
 * @param phase         the lease's phase
 * @param deadlineNanos monotonic time ({@code System.nanoTime()}, CLOCK_MONOTONIC) at which the lease ends; hand it
 *                      to the forwarder, which stops answering at it by itself. {@link #NO_DEADLINE} unless VALID
 * @param holding       the instances (and terms) the agent may answer for now: named in the current term, lease valid
 */
public record LeaseView(LeasePhase phase, long deadlineNanos, List<Holding> holding) {

    /** The deadline of a lease that is not valid: every clock value is at or after it. */
    public static final long NO_DEADLINE = Long.MIN_VALUE;

    public LeaseView {
        holding = List.copyOf(holding);
    }

    /** Whether the incarnation is over for good. */
    public boolean lapsed() {
        return phase == LeasePhase.LAPSED;
    }
}
