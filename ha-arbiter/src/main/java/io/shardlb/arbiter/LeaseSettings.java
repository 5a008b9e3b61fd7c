package io.shardlb.arbiter;

/**
 * The lease rules' three durations, validated once. The agent beats every {@code beatIntervalMs}; its lease lasts
 * {@code leaseMs} from when it started sending an acknowledged beat; the arbiter waits {@code leaseMs + marginMs}
 * on its own clock since it received the last beat before it declares the agent Down. The margin covers
 * clock-rate drift between the agent's and the arbiter's monotonic clocks over one lease, and scheduling delays.
 *
 * @param beatIntervalMs time between beats (default 100 ms)
 * @param leaseMs        lease length (default 400 ms)
 * @param marginMs       the arbiter's extra wait beyond the lease (default 200 ms)
 */
public record LeaseSettings(long beatIntervalMs, long leaseMs, long marginMs) {

    /** 100 ms beats, 400 ms lease, 200 ms margin. */
    public static final LeaseSettings DEFAULTS = new LeaseSettings(100, 400, 200);

    private static final long NANOS_PER_MS = 1_000_000L;

    public LeaseSettings {
        if (beatIntervalMs <= 0) {
            throw new IllegalArgumentException("beat interval must be positive: beatIntervalMs=" + beatIntervalMs);
        }
        if (leaseMs <= beatIntervalMs) {
            throw new IllegalArgumentException("lease must be longer than one beat interval: leaseMs=" + leaseMs
                    + " beatIntervalMs=" + beatIntervalMs);
        }
        if (marginMs < 0) {
            throw new IllegalArgumentException("margin must not be negative: marginMs=" + marginMs);
        }
    }

    /** The beat interval in nanoseconds. */
    public long beatIntervalNanos() {
        return beatIntervalMs * NANOS_PER_MS;
    }

    /** The lease length in nanoseconds. */
    public long leaseNanos() {
        return leaseMs * NANOS_PER_MS;
    }

    /** The arbiter's wait since the last beat it received, {@code leaseMs + marginMs}, in nanoseconds. */
    public long silenceNanos() {
        return (leaseMs + marginMs) * NANOS_PER_MS;
    }
}
