package io.shardlb.agent.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RejoinBackoffTest {
    private static final long MS = 1_000_000L;

    @Test
    void anAcknowledgedIncarnationOrTheFirstUnacknowledgedOneRejoinsAtOnce() {
        RejoinBackoff b = new RejoinBackoff(400 * MS);
        assertEquals(0, b.onLapsed(true, 0));
        assertEquals(0, b.onLapsed(false, 10 * MS), "a slow first send on a loaded machine: rejoin now");
        assertEquals(0, b.onLapsed(true, 20 * MS));
        assertEquals(0, b.onLapsed(false, 30 * MS), "the streak started again");
    }

    @Test
    void unacknowledgedIncarnationsInARowWaitTwiceAsLongEachUpToTheCap() {
        RejoinBackoff b = new RejoinBackoff(400 * MS);
        long now = 0;
        assertEquals(0, b.onLapsed(false, now));
        long[] expected = {400, 800, 1600, 2000, 2000};
        for (long waitMs : expected) {
            assertEquals(waitMs * MS, b.onLapsed(false, now), "a fresh lapse waits");
            assertEquals((waitMs - 100) * MS, b.onLapsed(false, now + 100 * MS), "the same wait, asked again");
            now += waitMs * MS;
            assertEquals(0, b.onLapsed(false, now), "then rejoins");
        }
        assertEquals(0, b.onLapsed(true, now + MS), "reached the broker: the back-off is over");
        assertEquals(0, b.onLapsed(false, now + 2 * MS));
    }
}
