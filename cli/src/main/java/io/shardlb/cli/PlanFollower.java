package io.shardlb.cli;

import io.shardlb.bridge.out.ReconcileResult;
import io.shardlb.bridge.out.Reconciler;
import io.shardlb.bridge.out.ServicePlan;
import io.shardlb.bridge.out.ServiceStatusDelta;
import io.shardlb.bridge.out.ServiceStatusImage;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The "out" loop of a leading controller: tails {@code plan} (read_committed, so only committed batches),
 * folds it into a {@link ServiceStatusImage} and reconciles the Services each batch touched; after catching up
 * with the plan it reconciles every Service the plan knows. Services the bridge saw change are reconciled too
 * (a user who edits our annotation gets it back), and failed reconciles are retried: the plan is the source,
 * an API error loses nothing. Everything runs on the follower's one thread, so two reconciles of one Service
 * never race.
 */
final class PlanFollower {
    private static final Logger LOG = LoggerFactory.getLogger(PlanFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_NANOS = Duration.ofSeconds(5).toNanos();

    private final EventLog log;
    private final Reconciler reconciler;
    private final ControllerMetrics metrics;
    private final ConcurrentLinkedQueue<String> changed = new ConcurrentLinkedQueue<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private volatile ServiceStatusImage image = ServiceStatusImage.EMPTY;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private long retryAt;

    PlanFollower(EventLog log, Reconciler reconciler, ControllerMetrics metrics) {
        this.log = log;
        this.reconciler = reconciler;
        this.metrics = metrics;
    }

    /** The plan as folded so far. */
    ServiceStatusImage image() {
        return image;
    }

    /** Whether the plan was followed to its end as of the start and every Service in it reconciled once. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Asks for a reconcile of {@code namespace/name} (any thread). */
    void serviceChanged(String key) {
        changed.add(key);
    }

    /** Ends {@link #run} after its current step. */
    void stop() {
        running = false;
    }

    /** Follows the plan until {@link #stop}. */
    void run() {
        try (LogReader plan = log.reader(Topic.PLAN)) {
            Map<Integer, Long> end = plan.endOffsets();
            while (running && !plan.hasReached(end)) {
                fold(plan.poll(POLL));
            }
            if (!running) {
                return;
            }
            LOG.info("plan followed to {}: {} services; reconciling all", end, image.services().size());
            changed.clear();
            record(reconciler.reconcileAll(image));
            caughtUp = true;
            while (running) {
                Set<String> touched = fold(plan.poll(POLL));
                for (String k; (k = changed.poll()) != null; ) {
                    if (image.services().containsKey(k)) { // others: nothing to write until the plan speaks
                        touched.add(k);
                    }
                }
                if (!failed.isEmpty() && System.nanoTime() - retryAt > 0) {
                    touched.addAll(failed);
                    failed.clear();
                }
                for (String key : touched) {
                    if (!running) {
                        return;
                    }
                    record(List.of(reconciler.reconcile(image, key)));
                }
            }
        }
    }

    /** Folds entries in and returns the Services they touch. */
    private Set<String> fold(List<LogEntry> entries) {
        Set<String> touched = new LinkedHashSet<>();
        if (entries.isEmpty()) {
            return touched;
        }
        ServiceStatusDelta d = image.delta();
        for (LogEntry e : entries) {
            d.replay(e);
            if (e.envelope().payload() instanceof Decision decision) {
                touched.add(decision.subject());
            }
        }
        ServiceStatusImage next = d.apply();
        Set<String> out = new LinkedHashSet<>();
        for (String subject : touched) {
            if (subject.contains("/")) {
                out.add(subject);
            } else { // an instance: its master changed, so did the Services on it
                for (ServicePlan p : next.services().values()) {
                    if (subject.equals(p.instance())) {
                        out.add(p.service());
                    }
                }
            }
        }
        image = next;
        return out;
    }

    private void record(List<ReconcileResult> results) {
        for (ReconcileResult r : results) {
            metrics.reconciles.labelValues(r.outcome().name().toLowerCase(java.util.Locale.ROOT)).inc();
            if (r.outcome() == ReconcileResult.Outcome.FAILED) {
                metrics.apiErrors.inc();
                if (failed.isEmpty()) {
                    retryAt = System.nanoTime() + RETRY_NANOS;
                }
                failed.add(r.service());
            } else if (r.outcome() == ReconcileResult.Outcome.PATCHED) {
                LOG.info("reconciled {}: {}", r.service(), r.actions());
            }
        }
    }
}
