package io.shardlb.e2e.system;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition every 10 ms until it holds or a (generous) timeout passes. */
public final class Await {
    private Await() {
    }

    /** Returns when {@code condition} holds; throws an AssertionError naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
