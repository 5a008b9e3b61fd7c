package io.shardlb.arbiter;

import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's beat I/O: sends each beat the {@link AgentLease} asks for to <em>every</em> partition of
 * {@code heartbeats} (each led by a different broker, so one broker's failure lapses no lease), with a plain
 * producer, and reports acknowledgements back to the lease (the first one of a seq counts; the lease ignores the
 * rest). The send start is read from the monotonic clock before the beat is handed to the writer.
 *
 * Thread-safe; acknowledgements arrive on the writer's callback thread.
 */
public final class BeatSender {
    private static final Logger LOG = LoggerFactory.getLogger(BeatSender.class);

    private final PlainWriter writer;
    private final int partitions;
    private final AgentLease lease;
    private final LongSupplier nanoClock;
    private final LongSupplier wallMillis;
    private final String writerId;
    private final AtomicLong failedAppends = new AtomicLong();
    private final AtomicLong lastAckedSentAt = new AtomicLong(LeaseView.NO_DEADLINE);

    /**
     * @param writer     a plain writer of the {@code heartbeats} topic; an agent's waits at most a beat interval
     *                   ({@link io.shardlb.events.log.EventLog#plainWriter(String, java.time.Duration)})
     * @param partitions the number of partitions of {@code heartbeats}
     * @param lease      the lease of this incarnation
     * @param nanoClock  the monotonic clock the lease and the forwarder use ({@code System::nanoTime})
     * @param wallMillis the wall clock, carried in beats for people only
     */
    public BeatSender(PlainWriter writer, int partitions, AgentLease lease, LongSupplier nanoClock,
                      LongSupplier wallMillis) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("heartbeats needs at least one partition: partitions=" + partitions);
        }
        this.writer = writer;
        this.partitions = partitions;
        this.lease = lease;
        this.nanoClock = nanoClock;
        this.wallMillis = wallMillis;
        this.writerId = lease.self().toString();
    }

    /** Sends a beat if the lease says one is due (interval passed, holdings or draining changed); whether it did. */
    public boolean sendIfDue() {
        long now = nanoClock.getAsLong();
        if (!lease.beatDue(now)) {
            return false;
        }
        send(now);
        return true;
    }

    /**
     * Sends the next beat now to every partition.
     *
     * @throws IllegalStateException once the incarnation has lapsed
     */
    public Heartbeat send() {
        return send(nanoClock.getAsLong());
    }

    private Heartbeat send(long startNanos) {
        Heartbeat beat = lease.startBeat(startNanos, wallMillis.getAsLong());
        Envelope envelope = Envelope.of(beat, writerId);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            writer.append(new Outgoing(Topic.HEARTBEATS, partition, beat.agent(), envelope))
                    .whenComplete((position, error) -> {
                        if (error == null) {
                            lease.onBeatAcked(beat.seq(), nanoClock.getAsLong());
                            lastAckedSentAt.accumulateAndGet(startNanos,
                                    (a, b) -> a == LeaseView.NO_DEADLINE || b - a > 0 ? b : a);
                        } else {
                            failedAppends.incrementAndGet();
                            LOG.debug("beat {} of {} not acknowledged by partition {}: {}", beat.seq(), writerId,
                                    partition, error.toString());
                        }
                    });
        }
        return beat;
    }

    /** The send start (monotonic) of the newest acknowledged beat, {@link LeaseView#NO_DEADLINE} if none yet. */
    public long lastAckedSentAtNanos() {
        return lastAckedSentAt.get();
    }

    /** How many per-partition appends failed so far. */
    public long failedAppends() {
        return failedAppends.get();
    }
}
