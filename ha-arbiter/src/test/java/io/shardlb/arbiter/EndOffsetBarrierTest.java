package io.shardlb.arbiter;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndOffsetBarrierTest {
    private static final long MS = 1_000_000L;

    @Test
    void fetchesOnceWhenADecisionIsDueAndAgainAfterReachingIt() {
        EndOffsetBarrier b = new EndOffsetBarrier(2);
        assertFalse(b.needsFetch(false, 0));
        assertTrue(b.progress(Map.of()).isEmpty());
        assertTrue(b.needsFetch(true, 0));
        b.fetched(7 * MS, Map.of(0, 3L, 1, 4L));
        assertFalse(b.needsFetch(true, 500 * MS), "one pending fetch at a time");
        ReadProgress behind = b.progress(Map.of(0, 3L, 1, 2L)).orElseThrow();
        assertFalse(behind.reachedEnd());
        assertEquals(7 * MS, behind.fetchedAtNanos());
        assertTrue(b.progress(Map.of(0, 3L, 1, 4L)).orElseThrow().reachedEnd());
        b.reached();
        assertTrue(b.needsFetch(true, 600 * MS));
    }

    @Test
    void aPartitionWhoseEndCouldNotBeFetchedMeansWaitAndFetchAgainLater() {
        EndOffsetBarrier b = new EndOffsetBarrier(2);
        b.fetched(0, Map.of(0, 3L));
        assertFalse(b.progress(Map.of(0, 3L, 1, 100L)).orElseThrow().reachedEnd());
        assertFalse(b.needsFetch(true, 99 * MS));
        assertTrue(b.needsFetch(true, EndOffsetBarrier.RETRY_NANOS));
    }
}
