package io.shardlb.arbiter.broker;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the log says, not what the arbiter reports: a reader of {@code events} on its own thread, recording each
 * committed fact with its log time and the test's monotonic time of reading it.
 */
final class FactLog implements AutoCloseable {
    /** One committed fact: the fact, its log append time (epoch ms), when this reader saw it (monotonic). */
    record Seen(Fact fact, long logTime, long readAtNanos) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    FactLog(EventLog log) {
        LogReader reader = log.reader(Topic.EVENTS);
        this.thread = Thread.ofPlatform().daemon().name("fact-log").start(() -> {
            try (reader) {
                while (running) {
                    for (LogEntry e : reader.poll(Duration.ofMillis(20))) {
                        Seen s = new Seen(e.envelope().payload(Fact.class), e.logTime(), System.nanoTime());
                        synchronized (seen) {
                            seen.add(s);
                            seen.notifyAll();
                        }
                    }
                }
            }
        });
    }

    /** Every fact read so far that matches. */
    List<Seen> all(Predicate<Fact> match) {
        synchronized (seen) {
            return seen.stream().filter(s -> match.test(s.fact())).toList();
        }
    }

    /** Waits up to {@code timeout} for a matching fact; fails the test if none comes. */
    Seen await(Predicate<Fact> match, Duration timeout, String what) throws InterruptedException {
        return awaitSeen(s -> match.test(s.fact()), timeout, what);
    }

    /** Waits up to {@code timeout} for a matching fact as read (with its log time); fails the test if none. */
    Seen awaitSeen(Predicate<Seen> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                for (Seen s : seen) {
                    if (match.test(s)) {
                        return s;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " in events within " + timeout + "; read: "
                            + new ArrayList<>(seen).stream().map(x -> x.fact().summary()).toList());
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
