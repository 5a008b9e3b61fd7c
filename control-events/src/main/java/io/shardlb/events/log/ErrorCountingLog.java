package io.shardlb.events.log;

import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An {@link EventLog} that reports every failure of the client underneath to an {@link ErrorSink}, by operation,
 * and otherwise behaves exactly as the log it wraps (same results, same exceptions). It exists so that the
 * controller and the agent can expose log client errors as a metric without the log knowing about metrics.
 */
public final class ErrorCountingLog implements EventLog {
    /** The operation label of a failure to open a client (writer, reader) or to describe the topics. */
    public static final String OPEN = "open";
    /** The operation label of a failed append (plain or fenced). */
    public static final String APPEND = "append";
    /** The operation label of a failed read (poll, seek, positions). */
    public static final String READ = "read";
    /** The operation label of a failed end-offsets fetch. */
    public static final String OFFSETS = "offsets";
    /** Every operation label, for metrics that show zero before the first error. */
    public static final List<String> OPERATIONS = List.of(OPEN, APPEND, READ, OFFSETS);

    /** Receives each failure: the operation and the error the caller also sees. */
    @FunctionalInterface
    public interface ErrorSink {
        void onError(String operation, Throwable error);
    }

    private final EventLog delegate;
    private final ErrorSink sink;

    private ErrorCountingLog(EventLog delegate, ErrorSink sink) {
        this.delegate = delegate;
        this.sink = sink;
    }

    /** {@code log}, reporting its failures to {@code sink}. */
    public static EventLog wrap(EventLog log, ErrorSink sink) {
        return new ErrorCountingLog(log, sink);
    }

    /** Opens a log with {@code opener}, reporting a failure to open as {@link #OPEN}, then wraps it. */
    public static EventLog open(Supplier<EventLog> opener, ErrorSink sink) {
        return wrap(counted(OPEN, sink, opener), sink);
    }

    private static <T> T counted(String operation, ErrorSink sink, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            sink.onError(operation, e);
            throw e;
        }
    }

    private <T> T counted(String operation, Supplier<T> call) {
        return counted(operation, sink, call);
    }

    private void counted(String operation, Runnable call) {
        counted(operation, sink, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public PlainWriter plainWriter(String writerId) {
        return counting(counted(OPEN, () -> delegate.plainWriter(writerId)));
    }

    @Override
    public PlainWriter plainWriter(String writerId, Duration maxWait) {
        return counting(counted(OPEN, () -> delegate.plainWriter(writerId, maxWait)));
    }

    private PlainWriter counting(PlainWriter w) {
        return new PlainWriter() {
            @Override
            public CompletableFuture<LogPosition> append(Outgoing record) {
                CompletableFuture<LogPosition> f = counted(APPEND, () -> w.append(record));
                f.whenComplete((pos, error) -> { // a side branch: the caller gets the writer's own future
                    if (error != null) {
                        sink.onError(APPEND, error);
                    }
                });
                return f;
            }

            @Override
            public void warmUp(Topic topic) {
                w.warmUp(topic);
            }

            @Override
            public void flush() {
                counted(APPEND, w::flush);
            }

            @Override
            public void close() {
                w.close();
            }
        };
    }

    @Override
    public FencedWriter fencedWriter(String transactionalId, String writerId) {
        FencedWriter w = counted(OPEN, () -> delegate.fencedWriter(transactionalId, writerId));
        return new FencedWriter() {
            @Override
            public void init() {
                counted(OPEN, w::init);
            }

            @Override
            public List<LogPosition> append(List<Outgoing> records) {
                return counted(APPEND, () -> w.append(records));
            }

            @Override
            public void close() {
                w.close();
            }
        };
    }

    @Override
    public LogReader reader(Topic topic) {
        LogReader r = counted(OPEN, () -> delegate.reader(topic));
        return new LogReader() {
            @Override
            public List<LogEntry> poll(Duration timeout) {
                return counted(READ, () -> r.poll(timeout));
            }

            @Override
            public void seek(int partition, long offset) {
                counted(READ, () -> r.seek(partition, offset));
            }

            @Override
            public void seekToEnd() {
                counted(READ, r::seekToEnd);
            }

            @Override
            public Map<Integer, Long> positions() {
                return counted(READ, r::positions);
            }

            @Override
            public Map<Integer, Long> endOffsets() {
                return counted(OFFSETS, r::endOffsets);
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }

    @Override
    public int partitions(Topic topic) {
        return counted(OPEN, () -> delegate.partitions(topic));
    }

    @Override
    public Map<Integer, Long> endOffsets(Topic topic) {
        return counted(OFFSETS, () -> delegate.endOffsets(topic));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
