package io.shardlb.agent.control;

/**
 * When to rejoin after a lapse. A lapse after acknowledged beats rejoins at once (the agent was reachable: the
 * next incarnation is likely to be acknowledged, and it is what gives instances back soonest). So does the first
 * incarnation in a row that never had a beat acknowledged (a first send slowed by a loaded machine). Each further
 * one in a row waits twice as long as the last, from one lease up to {@link #MAX_WAIT_NANOS}: an agent cut off
 * from the broker would otherwise start a new incarnation every lease, and when the cut ends the broker would
 * deliver all their queued beats at once, an {@code AgentUp} and {@code AgentDown} for each. It holds no VIP
 * meanwhile, so waiting costs only how soon it takes instances again once it can reach the broker.
 * <p>
 * Pure: time is an input; owned by the beat thread.
 */
final class RejoinBackoff {
    /** The longest wait between two never-acknowledged incarnations. */
    static final long MAX_WAIT_NANOS = 2_000_000_000L;

    private final long leaseNanos;
    private int unackedInARow;
    private long rejoinAt;
    private boolean waiting;

    RejoinBackoff(long leaseNanos) {
        if (leaseNanos <= 0) {
            throw new IllegalArgumentException("lease must be positive: " + leaseNanos);
        }
        this.leaseNanos = leaseNanos;
    }

    /**
     * The incarnation lapsed ({@code acknowledged}: whether any of its beats was); returns nanoseconds to wait
     * before rejoining, 0 to rejoin now. Called again on every cycle while the wait runs.
     */
    long onLapsed(boolean acknowledged, long nowNanos) {
        if (!waiting) {
            unackedInARow = acknowledged ? 0 : unackedInARow + 1;
            if (unackedInARow <= 1) {
                return 0;
            }
            int doublings = Math.min(unackedInARow - 2, 20);
            long wait = Math.min(MAX_WAIT_NANOS, leaseNanos << doublings);
            if (wait <= 0) {
                wait = MAX_WAIT_NANOS;
            }
            rejoinAt = nowNanos + wait;
            waiting = true;
        }
        long left = rejoinAt - nowNanos;
        if (left <= 0) {
            waiting = false;
            return 0;
        }
        return left;
    }

    /** Consecutive incarnations that lapsed without an acknowledged beat. */
    int unackedInARow() {
        return unackedInARow;
    }
}
