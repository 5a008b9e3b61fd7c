package io.shardlb.arbiter;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The arbiter's I/O shell over the {@link EventLog} SPI: reads every partition of {@code heartbeats}, fetches end
 * offsets when a decision is due, feeds the pure {@link Arbiter}, and writes its facts to {@code events} with a
 * plain writer; a Tick every second. It works only while {@link #setActive active} (leadership is decided
 * elsewhere, in the controller). On becoming active it folds {@code events} into an {@link AgentBook} (so it
 * repeats no Up or Down and forgets no silent agent), starts every timer from now, and reads beats from the end
 * of {@code heartbeats}: beats before its start cannot matter, since its timers start later than their receipt.
 * If a fact cannot be written it steps down and starts again from the log, where the lost fact is decided anew.
 *
 * Drive it with {@link #doWork()} from one thread (or {@link #start}); other threads may call
 * {@link #setActive}, {@link #onPodObserved} and {@link #close}. For measurement, an {@link Observer} sees every
 * fact when the log has acknowledged it.
 */
public final class ArbiterService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArbiterService.class);
    private static final long MAX_POLL_NANOS = 20_000_000L;
    private static final Duration BOOK_POLL = Duration.ofMillis(100);

    /** Sees each fact once the log has acknowledged it (for benchmarks and metrics). */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param fact        the fact written
         * @param position    where it landed
         * @param ackedAtNanos the arbiter's monotonic time when the acknowledgement arrived
         */
        void onWritten(Fact fact, LogPosition position, long ackedAtNanos);
    }

    private final EventLog log;
    private final LeaseSettings settings;
    private final LongSupplier nanoClock;
    private final String writerId;
    private final Observer observer;
    private final AtomicBoolean active = new AtomicBoolean();
    private final AtomicBoolean writeFailed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Fact.AgentObserved> pods = new ConcurrentLinkedQueue<>();

    private Arbiter arbiter;
    private LogReader beats;
    private PlainWriter writer;
    private EndOffsetBarrier barrier;

    /**
     * @param log       the logs
     * @param settings  lease and margin
     * @param nanoClock the arbiter's monotonic clock ({@code System::nanoTime})
     * @param writerId  the writer name put in each fact's envelope
     * @param observer  sees written facts; {@code (f, p, t) -> { }} for none
     */
    public ArbiterService(EventLog log, LeaseSettings settings, LongSupplier nanoClock, String writerId,
                          Observer observer) {
        this.log = log;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.writerId = writerId;
        this.observer = observer;
    }

    /** Follows leadership: an active service decides and writes; an inactive one holds no state and no clients. */
    public void setActive(boolean value) {
        active.set(value);
    }

    /** Whether leadership says this service should work. */
    public boolean isActive() {
        return active.get();
    }

    /** Kubernetes said something of an agent pod: it colours a later AgentDown's reason, never hastens it. */
    public void onPodObserved(Fact.AgentObserved pod) {
        pods.add(pod);
    }

    /** The incarnations the running arbiter holds Up; empty while inactive. Call from the working thread. */
    public List<String> upAgents() {
        return arbiter == null ? List.of() : arbiter.up().stream().map(Object::toString).sorted().toList();
    }

    /**
     * One cycle: activate or step down as leadership says, read beats, fetch end offsets if a decision is due,
     * decide, tick, write. Waits at most about 20 ms for beats.
     *
     * @return the number of facts written
     */
    public int doWork() {
        if (!active.get() || closed.get() || writeFailed.get()) {
            if (arbiter != null) {
                stepDown(writeFailed.get() ? "a fact could not be written" : "no longer active");
            }
            if (!active.get() || closed.get()) {
                return 0;
            }
        }
        try {
            if (arbiter == null) {
                activate();
            }
            return cycle();
        } catch (LogException e) {
            LOG.warn("arbiter log failure, starting again from the log: {}", e.getMessage());
            stepDown("log failure");
            return 0;
        }
    }

    private int cycle() {
        for (Fact.AgentObserved pod; (pod = pods.poll()) != null; ) {
            arbiter.onPodObserved(pod);
        }
        long wait = Math.clamp(arbiter.nextWakeNanos() - nanoClock.getAsLong(), 0, MAX_POLL_NANOS);
        List<LogEntry> entries = beats.poll(Duration.ofNanos(wait));
        long now = nanoClock.getAsLong();
        List<Fact> facts = new ArrayList<>();
        for (LogEntry e : entries) {
            facts.addAll(arbiter.onBeat(e.partition(), e.logTime(), e.envelope().payload(Heartbeat.class), now));
        }
        if (barrier.needsFetch(arbiter.wantsEndOffsets(now), now)) {
            long fetchedAt = nanoClock.getAsLong(); // before the fetch: beats it misses were appended after this
            barrier.fetched(fetchedAt, fetchEndOffsets());
        }
        Optional<ReadProgress> progress = barrier.progress(beats.positions());
        if (progress.isPresent()) {
            facts.addAll(arbiter.decide(progress.get(), nanoClock.getAsLong()));
            if (progress.get().reachedEnd()) {
                barrier.reached();
            }
        }
        facts.addAll(arbiter.tick(nanoClock.getAsLong()));
        write(facts);
        return facts.size();
    }

    /**
     * Through the log's own (admin) client, not the reader's consumer: a broker serves one request per connection
     * at a time, so on the consumer's connection the request would queue behind its long-polling fetch (up to
     * fetch.max.wait.ms, 500 ms by default), which measured as ~400 ms added to every detection.
     */
    private Map<Integer, Long> fetchEndOffsets() {
        try {
            return log.endOffsets(Topic.HEARTBEATS);
        } catch (LogException e) {
            LOG.warn("heartbeats end offsets unavailable, not deciding: {}", e.getMessage());
            return Map.of(); // the decision waits; the barrier fetches again
        }
    }

    private void write(List<Fact> facts) {
        for (Fact fact : facts) {
            if (!(fact instanceof Fact.Tick)) {
                LOG.info("{} {}", fact.getClass().getSimpleName(), fact.summary());
            }
            writer.append(Outgoing.to(Topic.EVENTS, Envelope.of(fact, writerId))).whenComplete((pos, error) -> {
                if (error != null) {
                    LOG.error("fact not written, stepping down to start again from the log: {} ({})",
                            fact.summary(), error.toString());
                    writeFailed.set(true);
                } else {
                    observer.onWritten(fact, pos, nanoClock.getAsLong());
                }
            });
        }
    }

    private void activate() {
        AgentBook book = readBook();
        int partitions = log.partitions(Topic.HEARTBEATS);
        beats = log.reader(Topic.HEARTBEATS);
        beats.seekToEnd();
        // positions() resolves the seek; only then read the clock: every beat appended after the timers' start
        // is read, and every beat skipped was appended (so sent) before it (README, safety argument)
        beats.positions();
        writer = log.plainWriter(writerId);
        barrier = new EndOffsetBarrier(partitions);
        writeFailed.set(false);
        arbiter = Arbiter.resume(settings, book, nanoClock.getAsLong());
        LOG.info("arbiter active: {} incarnations up, {} heartbeats partitions, lease {} ms + margin {} ms",
                book.up().size(), partitions, settings.leaseMs(), settings.marginMs());
    }

    /** Folds {@code events} up to its current end into the agents' book. */
    private AgentBook readBook() {
        AgentBook book = AgentBook.EMPTY;
        try (LogReader events = log.reader(Topic.EVENTS)) {
            Map<Integer, Long> end = events.endOffsets();
            while (!reached(events.positions(), end)) {
                if (closed.get() || !active.get()) {
                    throw new LogException("stopped while reading events");
                }
                for (LogEntry e : events.poll(BOOK_POLL)) {
                    book = book.with(e.envelope().payload(Fact.class));
                }
            }
        }
        return book;
    }

    private static boolean reached(Map<Integer, Long> positions, Map<Integer, Long> end) {
        return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private void stepDown(String why) {
        LOG.info("arbiter stepping down: {}", why);
        arbiter = null;
        barrier = null;
        closeQuietly(beats);
        closeQuietly(writer);
        beats = null;
        writer = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** Runs {@link #doWork()} on a new daemon thread named {@code name} until {@link #close()}. */
    public Thread start(String name) {
        Thread t = Thread.ofPlatform().name(name).daemon().start(() -> {
            while (!closed.get()) {
                if (doWork() == 0 && arbiter == null) {
                    sleepQuietly();
                }
            }
            if (arbiter != null) {
                stepDown("closed");
            }
        });
        return t;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop started by {@link #start}; the loop closes its clients. */
    @Override
    public void close() {
        closed.set(true);
    }
}
