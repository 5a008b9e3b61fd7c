package io.shardlb.e2e.system;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a (generous) timeout passes: every 10 ms for cheap local checks (the probe's
 * record), every 100 ms for checks that cost a request to another process (the API server, the controller).
 */
public final class Await {
    private Await() {
    }

    /** Returns when {@code condition} holds; throws an AssertionError naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, Duration.ofMillis(10), condition);
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, polling every {@code every}. */
    public static void until(String what, Duration timeout, Duration every, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
