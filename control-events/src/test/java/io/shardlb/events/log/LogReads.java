package io.shardlb.events.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bounded read loops for tests: they wait generously and fail with what they got, never hang. */
public final class LogReads {
    private static final Duration POLL = Duration.ofMillis(200);

    private LogReads() {
    }

    /** Reads exactly {@code n} records (fails if more or fewer arrive in {@code wait}). */
    public static List<LogEntry> readCount(LogReader r, int n, Duration wait) {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(r.poll(POLL));
        }
        if (out.size() != n) {
            throw new AssertionError("expected " + n + " records within " + wait + ", got " + out.size());
        }
        return out;
    }

    /**
     * Waits until every position in {@code appended} is below its partition's committed end. A committed
     * Kafka transaction becomes readable moments after the commit returns (its markers are written afterwards).
     */
    public static void awaitCommitted(EventLog log, List<LogPosition> appended, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (LogPosition p : appended) {
            while (log.endOffsets(p.topic()).getOrDefault(p.partition(), 0L) <= p.offset()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(p + " not committed within " + wait);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Reads until at least {@code n} records came (fails if fewer arrive in {@code wait}). */
    public static List<LogEntry> readAtLeast(LogReader r, int n, Duration wait) {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(r.poll(POLL));
        }
        if (out.size() < n) {
            throw new AssertionError("expected at least " + n + " records within " + wait + ", got " + out.size());
        }
        return out;
    }

    /** Reads until the reader's positions reach {@code end} in every partition. */
    public static List<LogEntry> readUntil(LogReader r, Map<Integer, Long> end, Duration wait) {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (!r.hasReached(end)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not reach " + end + " within " + wait + ": at " + r.positions());
            }
            out.addAll(r.poll(POLL));
        }
        return out;
    }

    /** Reads everything committed now. */
    public static List<LogEntry> readToEnd(LogReader r, Duration wait) {
        return readUntil(r, r.endOffsets(), wait);
    }

    /** Polls for {@code d} and returns whatever came (to show that nothing does). */
    public static List<LogEntry> readFor(LogReader r, Duration d) {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            out.addAll(r.poll(POLL));
        }
        return out;
    }
}
