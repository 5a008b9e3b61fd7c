package io.shardlb.events.log;

import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Failures are reported by operation and reach the caller unchanged; successes report nothing. */
class ErrorCountingLogTest {
    private final List<String> reported = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final LogException refused = new LogException("refused");

    @Test
    void failuresAreReportedByOperationAndPassedOnUnchanged() {
        EventLog log = ErrorCountingLog.wrap(new FailingLog(), (op, e) -> reported.add(op));
        PlainWriter w = log.plainWriter("w");
        CompletableFuture<LogPosition> f = w.append(Outgoing.to(Topic.EVENTS, Envelope.of(new Fact.Tick(), "w")));
        CompletionException append = assertThrows(CompletionException.class, f::join);
        assertSame(refused, append.getCause(), "the writer's own future, not a copy");
        LogReader r = log.reader(Topic.PLAN);
        assertSame(refused, assertThrows(LogException.class, () -> r.poll(Duration.ZERO)));
        assertSame(refused, assertThrows(LogException.class, () -> log.endOffsets(Topic.PLAN)));
        assertSame(refused, assertThrows(LogException.class, () -> log.fencedWriter("t", "w")));
        assertEquals(List.of("append", "read", "offsets", "open"), reported);
        assertEquals(Map.of(0, 0L), r.positions(), "a success reports nothing");
        assertEquals(4, reported.size());
    }

    /** The agent's beat writer: the bounded kind of the log underneath, warmed up there (not a no-op here). */
    @Test
    void aBoundedWriterAndItsWarmUpReachTheLogUnderneath() {
        EventLog log = ErrorCountingLog.wrap(new FailingLog(), (op, e) -> reported.add(op));
        log.plainWriter("beats", Duration.ofMillis(100)).warmUp(Topic.HEARTBEATS);
        log.plainWriter("facts").warmUp(Topic.EVENTS);
        assertEquals(List.of("bounded beats PT0.1S", "warm-up beats heartbeats", "plain facts",
                "warm-up facts events"), calls);
        assertEquals(List.of(), reported);
    }

    @Test
    void aFailureToOpenIsReported() {
        assertThrows(LogException.class, () -> ErrorCountingLog.open(() -> {
            throw refused;
        }, (op, e) -> reported.add(op)));
        assertEquals(List.of("open"), reported);
    }

    /** Appends fail asynchronously, polls and offsets synchronously; fenced writers cannot be made. */
    private final class FailingLog implements EventLog {
        @Override
        public String describe() {
            return "failing";
        }

        @Override
        public PlainWriter plainWriter(String writerId) {
            calls.add("plain " + writerId);
            return writer(writerId);
        }

        @Override
        public PlainWriter plainWriter(String writerId, Duration maxWait) {
            calls.add("bounded " + writerId + " " + maxWait);
            return writer(writerId);
        }

        private PlainWriter writer(String writerId) {
            return new PlainWriter() {
                @Override
                public CompletableFuture<LogPosition> append(Outgoing record) {
                    return CompletableFuture.failedFuture(refused);
                }

                @Override
                public void warmUp(Topic topic) {
                    calls.add("warm-up " + writerId + " " + topic.name().toLowerCase(java.util.Locale.ROOT));
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public FencedWriter fencedWriter(String transactionalId, String writerId) {
            throw refused;
        }

        @Override
        public LogReader reader(Topic topic) {
            return new LogReader() {
                @Override
                public List<LogEntry> poll(Duration timeout) {
                    throw refused;
                }

                @Override
                public void seek(int partition, long offset) {
                }

                @Override
                public void seekToEnd() {
                }

                @Override
                public Map<Integer, Long> positions() {
                    return Map.of(0, 0L);
                }

                @Override
                public Map<Integer, Long> endOffsets() {
                    return Map.of(0, 0L);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public int partitions(Topic topic) {
            return 1;
        }

        @Override
        public Map<Integer, Long> endOffsets(Topic topic) {
            throw refused;
        }

        @Override
        public void close() {
        }
    }
}
