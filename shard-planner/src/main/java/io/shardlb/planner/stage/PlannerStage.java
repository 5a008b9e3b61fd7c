package io.shardlb.planner.stage;

import io.shardlb.events.image.ReplayException;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedException;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.PlannerSnapshot;
import io.shardlb.planner.core.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller stage: the thin shell around {@link Planner}. A standby does nothing that fences; {@link #activate}
 * claims the planner's transactional id (aborting a zombie's open batch), recovers the image (newest snapshot, then
 * the facts after it up to the last committed {@code basedOn}, their decisions discarded: determinism makes them the
 * recorded ones), and {@link #doWork} then answers new facts: the decisions of every fact of one poll go out in one
 * fenced batch stamped {@code basedOn} = the last fact answered, with a snapshot every N facts in the same batch.
 * A fact that changes nothing writes nothing (unless a snapshot is due).
 * <p>
 * Fencing, an unreadable record or a decision the planner cannot fold stop the stage for good with a
 * {@link StageStoppedException}: whoever wrongly believes it is active must stop deciding, loudly.
 */
public final class PlannerStage implements AutoCloseable {
    /**
     * The one transactional id of the planner role; the log scopes it with the topic prefix ({@code shardlb.planner}
     * by default), so two installs sharing one Kafka never fence each other.
     */
    public static final String TRANSACTIONAL_ID = "planner";
    /** The writer name in plan envelopes. */
    public static final String WRITER = "planner";
    private static final Logger LOG = LoggerFactory.getLogger(PlannerStage.class);
    private static final Duration READ_TO_END = Duration.ofSeconds(60);

    /**
     * Tuning.
     *
     * @param snapshotEveryFacts facts between snapshots
     * @param poll               how long one {@link #doWork} waits for facts
     */
    public record Options(int snapshotEveryFacts, Duration poll) {
        /** 10,000 facts between snapshots, 100 ms polls. */
        public static final Options DEFAULTS = new Options(10_000, Duration.ofMillis(100));

        public Options {
            if (snapshotEveryFacts < 1) {
                throw new IllegalArgumentException("snapshotEveryFacts must be >= 1: " + snapshotEveryFacts);
            }
        }
    }

    private final EventLog log;
    private final SnapshotStore snapshots;
    private final Options options;
    private FencedWriter writer;
    private LogReader events;
    private PlannerImage image = PlannerImage.EMPTY;
    private long answered = -1;
    private long factsSinceSnapshot;
    private final List<LogEntry> backlog = new ArrayList<>();
    private List<LogPosition> lastAppended = List.of();
    private volatile boolean stopped;

    public PlannerStage(EventLog log, SnapshotStore snapshots, Options options) {
        this.log = log;
        this.snapshots = snapshots;
        this.options = options;
    }

    /** Becomes the active planner: fences older ones, recovers, and is ready for {@link #doWork}. */
    public void activate() {
        writer = log.fencedWriter(TRANSACTIONAL_ID, WRITER);
        guard(() -> writer.init());
        long basedOn = lastBasedOn();
        Optional<SnapshotStore.Stored> snap = snapshots.latest();
        long from = -1;
        if (snap.isPresent()) {
            image = PlannerSnapshot.fromBytes(snap.get().image());
            from = snap.get().position();
        }
        // a snapshot written with a batch without decisions covers facts beyond the last basedOn
        answered = Math.max(basedOn, from);
        events = log.reader(Topic.EVENTS);
        events.seek(0, from + 1);
        long deadline = System.nanoTime() + READ_TO_END.toNanos();
        while (image.offset() < answered) {
            if (System.nanoTime() > deadline) {
                throw new StageStoppedException("events not replayed to " + answered + " within " + READ_TO_END
                        + " (at " + image.offset() + ")", null);
            }
            for (LogEntry e : poll()) {
                if (e.offset() <= answered) {
                    image = guard(() -> Planner.step(image, e)).next();
                } else {
                    backlog.add(e); // read in the same poll: answered live by the first doWork
                }
            }
        }
        LOG.info("planner active: snapshot at {}, answered through events offset {}", from, answered);
    }

    /**
     * Answers the facts of one poll in one fenced batch.
     *
     * @return the number of facts answered
     * @throws StageStoppedException if fenced, or a record cannot be read or folded
     */
    public int doWork() {
        if (stopped) {
            throw new StageStoppedException("the planner stage has stopped", null);
        }
        if (writer == null) {
            throw new IllegalStateException("activate() first");
        }
        List<LogEntry> facts = poll();
        if (facts.isEmpty()) {
            return 0;
        }
        List<Decision> decisions = new ArrayList<>();
        PlannerImage next = image;
        for (LogEntry f : facts) {
            PlannerImage at = next;
            Step s = guard(() -> Planner.step(at, f));
            next = s.next();
            decisions.addAll(s.decisions());
        }
        long basedOn = next.offset();
        List<Outgoing> batch = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            batch.add(new Outgoing(Topic.PLAN, 0, d.subject(), Envelope.decision(d, WRITER, basedOn)));
        }
        boolean snapshot = factsSinceSnapshot + facts.size() >= options.snapshotEveryFacts();
        if (snapshot) {
            batch.addAll(snapshots.chunk(basedOn, PlannerSnapshot.toBytes(next)));
        }
        if (!batch.isEmpty()) {
            lastAppended = guard(() -> writer.append(batch));
        }
        image = next;
        answered = basedOn;
        factsSinceSnapshot = snapshot ? 0 : factsSinceSnapshot + facts.size();
        return facts.size();
    }

    /** The current image (after the last batch written). */
    public PlannerImage image() {
        return image;
    }

    /** The last {@code events} offset answered. */
    public long answered() {
        return answered;
    }

    /**
     * Where the records of the last batch this stage appended landed (empty before the first). A committed batch
     * becomes readable moments after the append returns, once its commit markers are written.
     */
    public List<LogPosition> lastAppended() {
        return lastAppended;
    }

    /** Whether the stage stopped for good. */
    public boolean stopped() {
        return stopped;
    }

    private List<LogEntry> poll() {
        if (!backlog.isEmpty()) {
            List<LogEntry> out = List.copyOf(backlog);
            backlog.clear();
            return out;
        }
        return guard(() -> events.poll(options.poll()));
    }

    /** The basedOn of the last committed plan record, -1 when the plan is empty. */
    private long lastBasedOn() {
        long last = -1;
        try (LogReader plan = log.reader(Topic.PLAN)) {
            Map<Integer, Long> end = plan.endOffsets();
            long deadline = System.nanoTime() + READ_TO_END.toNanos();
            while (plan.positions().getOrDefault(0, 0L) < end.getOrDefault(0, 0L)) {
                if (System.nanoTime() > deadline) {
                    throw new StageStoppedException("plan not read to its end " + end + " within " + READ_TO_END,
                            null);
                }
                for (LogEntry e : guard(() -> plan.poll(options.poll()))) {
                    last = Math.max(last, e.envelope().basedOn());
                }
            }
        }
        return last;
    }

    private <T> T guard(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (FencedException e) {
            throw stop("fenced by a newer planner; this one stops deciding", e);
        } catch (SchemaException e) {
            throw stop("unreadable record; the planner stops rather than skip it", e);
        } catch (ReplayException e) {
            throw stop("cannot fold a decision; the planner stops", e);
        }
    }

    private void guard(Runnable action) {
        guard(() -> {
            action.run();
            return null;
        });
    }

    private StageStoppedException stop(String why, RuntimeException cause) {
        stopped = true;
        LOG.error("planner stage stopped: {}: {}", why, cause.getMessage());
        return new StageStoppedException(why + ": " + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
        if (writer != null) {
            writer.close();
        }
    }
}
