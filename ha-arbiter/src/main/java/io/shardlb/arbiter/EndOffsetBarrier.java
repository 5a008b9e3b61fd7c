package io.shardlb.arbiter;

import java.util.Map;
import java.util.Optional;

/**
 * The shell's half of "read to the end offsets fetched at decision time", pure: when to fetch end offsets, and
 * the {@link ReadProgress} to decide on once they are fetched. One barrier is pending at a time; it is dropped
 * after a decision that reached it, and fetched again (after {@link #RETRY_NANOS}) when a partition's end offset
 * could not be fetched. The time recorded is taken before the fetch, so every beat the fetch missed was appended
 * after it (the safety argument in the README needs exactly that).
 */
final class EndOffsetBarrier {

    /** How long to wait before fetching again when a partition's end offset could not be fetched. */
    static final long RETRY_NANOS = 100_000_000L;

    private final int partitions;
    private boolean pending;
    private long fetchedAtNanos;
    private Map<Integer, Long> ends = Map.of();

    EndOffsetBarrier(int partitions) {
        this.partitions = partitions;
    }

    /** Whether to fetch end offsets now, given whether the arbiter wants a decision. */
    boolean needsFetch(boolean arbiterWants, long nowNanos) {
        if (!arbiterWants) {
            return false;
        }
        return !pending || (!complete() && nowNanos - fetchedAtNanos >= RETRY_NANOS);
    }

    /**
     * End offsets were fetched; {@code fetchedAtNanos} was read before the fetch started. A partition whose end
     * could not be fetched is absent, and the decision waits.
     */
    void fetched(long fetchedAtNanos, Map<Integer, Long> endOffsets) {
        this.pending = true;
        this.fetchedAtNanos = fetchedAtNanos;
        this.ends = Map.copyOf(endOffsets);
    }

    /** The progress to decide on, given the reader's positions now; empty when no barrier is pending. */
    Optional<ReadProgress> progress(Map<Integer, Long> positions) {
        return pending ? Optional.of(new ReadProgress(fetchedAtNanos, partitions, ends, positions)) : Optional.empty();
    }

    /** A decision was taken on a reached barrier: the next decision needs a fresh fetch. */
    void reached() {
        pending = false;
        ends = Map.of();
    }

    private boolean complete() {
        for (int p = 0; p < partitions; p++) {
            if (!ends.containsKey(p)) {
                return false;
            }
        }
        return true;
    }
}
