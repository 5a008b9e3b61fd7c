package io.shardlb.events.chronicle;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedException;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.Topic;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The EventLog on a Chronicle Queue directory on one host: the agent's local journal, and offline copies of a
 * Kafka log for audit ({@code shardlb log export}). All topics share one queue; one excerpt holds one append,
 * so a batch spanning topics is atomic for readers. Offsets are explicit per topic and partition, so an export
 * keeps Kafka's positions and log times. Readers in other processes tail the same directory.
 *
 * <p>Single writer by construction: the first writer takes an exclusive lock on the directory; another process
 * that tries to write gets a clear error. Fenced writers with the same id in the writing process fence each
 * other as on Kafka; fencing between processes is never needed because only one can write.
 *
 * <p>Log time is the writing host's clock when the append happens (or, for a copy, the source's log time).
 */
public final class ChronicleEventLog implements EventLog {
    private final Path dir;
    private final ChronicleOptions options;
    private final int heartbeatPartitions;
    private final ChronicleQueue queue;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<String, Long> nextOffsets = new HashMap<>();
    private final Map<String, Integer> fencingEpochs = new HashMap<>();
    private ExcerptAppender appender;
    private FileChannel lockChannel;
    private FileLock dirLock;
    private int lastCycle = Integer.MIN_VALUE;

    /** Opens (or creates) the journal in {@code dir}. */
    public ChronicleEventLog(Path dir, ChronicleOptions options) {
        this(dir, options, Clock.systemUTC());
    }

    ChronicleEventLog(Path dir, ChronicleOptions options, Clock clock) {
        this.dir = dir.toAbsolutePath();
        this.options = options;
        this.clock = clock;
        this.heartbeatPartitions = JournalFormat.openOrCreate(this.dir, options.heartbeatPartitions());
        this.queue = SingleChronicleQueueBuilder.single(this.dir.resolve("queue").toString())
                .rollCycle(options.rollCycle()).build();
    }

    @Override
    public String describe() {
        return "chronicle:" + dir;
    }

    @Override
    public int partitions(Topic topic) {
        return topic == Topic.HEARTBEATS ? heartbeatPartitions : 1;
    }

    @Override
    public PlainWriter plainWriter(String writerId) {
        return new PlainWriter() {
            @Override
            public CompletableFuture<LogPosition> append(Outgoing record) {
                try {
                    return CompletableFuture.completedFuture(appendBatch(List.of(record), writerId).getFirst());
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void flush() {
                // appends are synchronous
            }

            @Override
            public void close() {
                // the log owns the appender
            }
        };
    }

    @Override
    public FencedWriter fencedWriter(String transactionalId, String writerId) {
        return new FencedWriter() {
            private int epoch = -1;

            @Override
            public void init() {
                synchronized (writeLock) {
                    epoch = fencingEpochs.merge(transactionalId, 1, Integer::sum);
                }
            }

            @Override
            public List<LogPosition> append(List<Outgoing> records) {
                synchronized (writeLock) {
                    if (epoch < 0) {
                        throw new IllegalStateException("init() must be called before append: " + transactionalId);
                    }
                    if (fencingEpochs.get(transactionalId) != epoch) {
                        throw new FencedException("writer " + writerId + " (" + transactionalId + ") epoch " + epoch
                                + " was fenced by epoch " + fencingEpochs.get(transactionalId), null);
                    }
                    return appendBatch(records, writerId);
                }
            }

            @Override
            public void close() {
                // nothing held per writer
            }
        };
    }

    /**
     * Appends a record read from another log, keeping its topic, partition, offset and log time (an export).
     * Offsets of a partition must grow.
     */
    public void appendCopy(LogEntry entry) {
        appendCopy(entry.topic(), entry.partition(), entry.offset(), entry.logTime(),
                RecordCodec.encode(entry.envelope()));
    }

    /**
     * Appends a record's wire bytes as another log holds them, undecoded, so an export also copies records this
     * version cannot read (a newer schema): readers of the copy meet them exactly as readers of the source do.
     */
    public void appendCopy(Topic topic, int partition, long offset, long logTime, byte[] wire) {
        synchronized (writeLock) {
            acquireWriteLock();
            long next = nextOffset(topic, partition);
            if (offset < next) {
                throw new LogException("copy out of order at " + topic.suffix() + "/" + partition + "@" + offset
                        + ": journal already holds offsets below " + next);
            }
            write(List.of(new ExcerptCodec.Stored(topic, partition, offset, logTime, wire)));
            nextOffsets.put(key(topic, partition), offset + 1);
        }
    }

    private List<LogPosition> appendBatch(List<Outgoing> records, String writerId) {
        synchronized (writeLock) {
            acquireWriteLock();
            long now = clock.millis();
            List<ExcerptCodec.Stored> stored = new ArrayList<>(records.size());
            List<LogPosition> positions = new ArrayList<>(records.size());
            Map<String, Long> assigned = new HashMap<>();
            for (Outgoing o : records) {
                int partition = partitionFor(o);
                String key = key(o.topic(), partition);
                long offset = assigned.containsKey(key) ? assigned.get(key) : nextOffset(o.topic(), partition);
                assigned.put(key, offset + 1);
                Envelope e = o.envelope().writer().isEmpty()
                        ? new Envelope(o.envelope().schemaVersion(), o.envelope().type(), o.envelope().id(),
                        Envelope.UNSET, writerId, o.envelope().basedOn(), o.envelope().payload())
                        : o.envelope();
                stored.add(new ExcerptCodec.Stored(o.topic(), partition, offset, now, RecordCodec.encode(e)));
                positions.add(new LogPosition(o.topic(), partition, offset, now));
            }
            write(stored);
            nextOffsets.putAll(assigned);
            return positions;
        }
    }

    private int partitionFor(Outgoing o) {
        int n = partitions(o.topic());
        if (o.partition() != Outgoing.ANY_PARTITION) {
            if (o.partition() < 0 || o.partition() >= n) {
                throw new LogException("no partition " + o.partition() + " in " + o.topic().suffix() + " (has " + n
                        + ")");
            }
            return o.partition();
        }
        return n == 1 ? 0 : Math.floorMod(o.key().hashCode(), n);
    }

    private void write(List<ExcerptCodec.Stored> stored) {
        try (DocumentContext dc = appender.writingDocument()) {
            ExcerptCodec.write(dc.wire().bytes(), stored);
        }
        applyRetention();
    }

    private void applyRetention() {
        int cycle = appender.cycle();
        if (cycle == lastCycle || options.retainCycles() == 0) {
            lastCycle = cycle;
            return;
        }
        lastCycle = cycle;
        try (Stream<Path> files = Files.list(dir.resolve("queue"))) {
            List<Path> cycles = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            for (int i = 0; i < cycles.size() - options.retainCycles() - 1; i++) {
                Files.deleteIfExists(cycles.get(i));
            }
        } catch (IOException e) {
            throw new LogException("retention of " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private void acquireWriteLock() {
        if (dirLock != null) {
            return;
        }
        try {
            lockChannel = FileChannel.open(dir.resolve("writer.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            dirLock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            throw new LogException("journal " + dir + " is being written by another process or log instance; a"
                    + " Chronicle journal has one writer");
        }
        appender = queue.createAppender();
        scanNextOffsets();
    }

    private void scanNextOffsets() {
        try (ExcerptTailer t = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    for (ExcerptCodec.Stored s : ExcerptCodec.read(dc.wire().bytes(), describe())) {
                        nextOffsets.merge(key(s.topic(), s.partition()), s.offset() + 1, Math::max);
                    }
                }
            }
        }
    }

    private long nextOffset(Topic topic, int partition) {
        return nextOffsets.getOrDefault(key(topic, partition), 0L);
    }

    private static String key(Topic topic, int partition) {
        return topic.suffix() + "/" + partition;
    }

    @Override
    public LogReader reader(Topic topic) {
        return new ChronicleReader(queue, topic, partitions(topic), describe());
    }

    @Override
    public Map<Integer, Long> endOffsets(Topic topic) {
        return endOffsets(queue, topic, partitions(topic), describe());
    }

    /** End offsets read from the queue's tail backwards (works across processes). */
    static Map<Integer, Long> endOffsets(ChronicleQueue queue, Topic topic, int partitions, String where) {
        Map<Integer, Long> end = new HashMap<>();
        try (ExcerptTailer t = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            while (end.size() < partitions) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    for (ExcerptCodec.Stored s : ExcerptCodec.read(dc.wire().bytes(), where)) {
                        if (s.topic() == topic) {
                            end.merge(s.partition(), s.offset() + 1, Math::max);
                        }
                    }
                }
            }
        }
        for (int p = 0; p < partitions; p++) {
            end.putIfAbsent(p, 0L);
        }
        return end;
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            queue.close();
            try {
                if (dirLock != null) {
                    dirLock.release();
                }
                if (lockChannel != null) {
                    lockChannel.close();
                }
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
