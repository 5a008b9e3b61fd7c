package io.shardlb.agent.control;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Tails {@code events} on a daemon thread and lets a test wait for a fact (the arbiter's output). */
final class FactWatch implements AutoCloseable {
    private final List<Fact> facts = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    FactWatch(EventLog log) {
        LogReader reader = log.reader(Topic.EVENTS);
        thread = Thread.ofPlatform().daemon().name("fact-watch").start(() -> {
            try (reader) {
                while (running) {
                    for (LogEntry e : reader.poll(Duration.ofMillis(50))) {
                        if (e.envelope().payload() instanceof Fact f) {
                            facts.add(f);
                        }
                    }
                }
            }
        });
    }

    /** Every fact read so far, in log order. */
    List<Fact> facts() {
        return List.copyOf(facts);
    }

    /** The first fact of {@code type} matching {@code p}, waiting up to {@code timeout}. */
    <T extends Fact> T await(Class<T> type, Predicate<T> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Fact f : facts) {
                if (type.isInstance(f) && p.test(type.cast(f))) {
                    return type.cast(f);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.getSimpleName() + " matching within " + timeout + "; facts: " + facts);
    }

    @Override
    public void close() {
        running = false;
    }
}
