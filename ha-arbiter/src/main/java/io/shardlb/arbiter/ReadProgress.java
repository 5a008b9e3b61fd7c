package io.shardlb.arbiter;

import java.util.Map;

/**
 * How far the arbiter has read {@code heartbeats} compared with the end offsets it fetched at decision time.
 *
 * @param fetchedAtNanos the arbiter's monotonic time taken just <em>before</em> fetching the end offsets
 * @param partitions     the number of partitions of {@code heartbeats}
 * @param endOffsets     end offset per partition as fetched; a partition whose end could not be fetched is absent
 * @param positions      the offset of the next record the arbiter will read, per partition, now; every record
 *                       before it has been fed to the {@link Arbiter}
 */
public record ReadProgress(long fetchedAtNanos, int partitions, Map<Integer, Long> endOffsets,
                           Map<Integer, Long> positions) {

    public ReadProgress {
        endOffsets = Map.copyOf(endOffsets);
        positions = Map.copyOf(positions);
    }

    /**
     * Whether every partition has been read up to the end offset fetched: a partition with no end offset or no
     * position (it could not be read) means no.
     */
    public boolean reachedEnd() {
        if (partitions <= 0) {
            return false;
        }
        for (int p = 0; p < partitions; p++) {
            Long end = endOffsets.get(p);
            Long pos = positions.get(p);
            if (end == null || pos == null || pos < end) {
                return false;
            }
        }
        return true;
    }
}
