package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleSetAdapter;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.arbiter.AgentLease;
import io.shardlb.arbiter.BeatSender;
import io.shardlb.arbiter.LeaseView;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Holding;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The agent's control loop, on two threads so a slow read of the log never delays a beat: the plan thread
 * ({@link #pollPlan}) tails {@code plan} (read_committed) from where the journal ends, journals and applies each
 * record (rules of every Service to the forwarder; terms to the lease); the beat thread ({@link #beat}) claims the
 * VIPs of the instances its lease lets it hold with the lease deadline, and beats. A lapsed lease drops every VIP and rejoins as
 * a new incarnation. A plan record it cannot read is counted, logged once with its position and skipped: the
 * forwarder keeps the last good state and the agent reports itself degraded.
 */
final class AgentLoop {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long MAX_BEAT_WAIT_NANOS = 10_000_000L;

    private final AgentConfig config;
    private final PlanTracker tracker;
    private final PlanJournal journal;
    private final Forwarder forwarder;
    private final VipClaims claims;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong ruleFailures = new AtomicLong();
    private volatile String firstUnreadable = "";
    private volatile LeaseView lastView = new LeaseView(io.shardlb.arbiter.LeasePhase.PENDING,
            LeaseView.NO_DEADLINE, List.of());
    private volatile boolean caughtUp;
    private volatile int fromSnapshot;
    private volatile boolean drainRequested;
    private volatile AgentLease lease;
    private final Object leaseLock = new Object();
    private final RejoinBackoff rejoinBackoff;

    private EventLog log;
    private volatile LogReader plan;
    private PlainWriter writer;
    private BeatSender sender;
    private Map<Integer, Long> startEnd;
    private long journalEnd;
    private Set<String> heldInstances = Set.of();
    private long wantedVersion = -1;
    private Set<InetAddress> wanted = Set.of();
    private volatile long drainDeadline;
    private volatile boolean draining;

    AgentLoop(AgentConfig config, PlanTracker tracker, PlanJournal journal, Forwarder forwarder,
              LongSupplier nanoClock, LongSupplier wallClock) {
        this.config = config;
        this.tracker = tracker;
        this.journal = journal;
        this.forwarder = forwarder;
        this.claims = new VipClaims(forwarder);
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.rejoinBackoff = new RejoinBackoff(config.lease().leaseNanos());
    }

    /**
     * Programs the forwarder's rules from the journal (no claims: those wait for a lease): folds the whole journal,
     * then installs the resulting rules in one call (the forwarder starts empty, so only the end state matters).
     */
    int replayJournal() {
        journalEnd = journal.replay(this::fold);
        List<ServiceRule> rules = new ArrayList<>(tracker.ruleCount());
        for (Decision.RuleSet set : tracker.rules().values()) {
            rules.addAll(RuleSetAdapter.rules(set));
        }
        List<Outcome> outcomes = forwarder.upsertRules(rules);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof Outcome.Refused r) {
                ruleFailures.incrementAndGet();
                LOG.warn("forwarder refused journalled rule {}: {}", rules.get(i).id(), r.reason());
            }
        }
        return rules.size();
    }

    private void fold(LogEntry entry) {
        if (!(entry.envelope().payload() instanceof Decision d)) {
            onUnreadable(entry.position(), "not a plan decision: " + entry.envelope().type());
            return;
        }
        try {
            tracker.apply(d);
        } catch (IllegalArgumentException e) {
            onUnreadable(entry.position(), e.getMessage());
        }
    }

    /** Connects to the log: resumes {@code plan} where the journal ends and starts the first incarnation. */
    void connect(EventLog opened) {
        this.log = opened;
        LogReader reader = opened.reader(Topic.PLAN);
        long from = startFromSnapshot(opened, reader);
        if (from > 0) {
            reader.seek(0, from);
        }
        this.startEnd = reader.endOffsets();
        this.plan = reader;
        // bounded by a beat interval: the beat thread sends under the lease lock (see EventLog.plainWriter)
        this.writer = opened.plainWriter(config.name(), Duration.ofMillis(config.lease().beatIntervalMs()));
        // The lease counts from the first beat's send: a beat that waits for the producer's first connection
        // would lapse the first incarnation at once.
        writer.warmUp(Topic.HEARTBEATS);
        LOG.info("beat path warmed in {} ms", BeatWarmUp.run(config.name(), config.apiHost(), config.lease(),
                nanoClock.getAsLong(), wallClock.getAsLong()));
        synchronized (leaseLock) {
            rejoin(0);
        }
    }

    /**
     * Folds the planner's newest snapshot when that is shorter than the plan after the journal's end (an empty or
     * far-behind journal), journalling its records; returns the {@code plan} offset to continue from.
     */
    private long startFromSnapshot(EventLog opened, LogReader reader) {
        try {
            SnapshotStart.Start start = SnapshotStart.find(opened, reader, journalEnd, tracker).orElse(null);
            if (start == null) {
                return journalEnd;
            }
            for (LogEntry e : start.records()) {
                journal.append(e);
                apply(e);
            }
            fromSnapshot = start.records().size();
            LOG.info("started from the planner snapshot at events offset {}: {} records stated it, plan continues at"
                    + " {} (journal ended at {})", start.eventsOffset(), fromSnapshot, start.planOffset(), journalEnd);
            journalEnd = start.planOffset(); // the journal now ends there: a retried connect continues from it
            return journalEnd;
        } catch (RuntimeException e) {
            LOG.warn("cannot start from the planner snapshot, reading the plan from {}: {}", journalEnd, e.toString());
            return journalEnd;
        }
    }

    /** The number of plan records stated by a snapshot at connection (0 if the agent read the plan instead). */
    int fromSnapshot() {
        return fromSnapshot;
    }

    boolean connected() {
        return plan != null;
    }

    /**
     * One lease cycle (the beat thread): a lapse drops every VIP and rejoins; otherwise the claims follow what the
     * lease lets the agent hold, with its deadline, and then a beat goes out if due. Under the lease lock, so a
     * handover read meanwhile cannot reach a beat before the forwarder has released.
     *
     * @return nanoseconds until the next cycle is due
     */
    long beat() {
        synchronized (leaseLock) {
            long now = nanoClock.getAsLong();
            LeaseView view = lease.view(now);
            if (view.lapsed()) {
                claims.releaseAll();
                return rejoinWhenDue(now);
            }
            lastView = view;
            Set<String> held = view.holding().stream().map(Holding::instance).collect(Collectors.toSet());
            long version = tracker.version();
            if (!held.equals(heldInstances) || version != wantedVersion) {
                heldInstances = held;
                wantedVersion = version;
                wanted = tracker.vipsOn(held);
            }
            claims.reconcile(wanted, view.deadlineNanos());
            if (drainRequested && !draining) {
                draining = true;
                drainDeadline = now + config.drainTimeout().toNanos();
                lease.setDraining(true);
                LOG.info("draining: waiting up to {} for the plan to hand over the instances of {}",
                        config.drainTimeout(), lease.self());
            }
            try {
                sender.sendIfDue();
            } catch (IllegalStateException lapsed) {
                claims.releaseAll();
                return rejoinWhenDue(nanoClock.getAsLong());
            }
            return Math.min(MAX_BEAT_WAIT_NANOS, lease.nextWakeNanos() - nanoClock.getAsLong());
        }
    }

    /** One plan cycle (the plan thread): reads, journals and applies what came. Returns the records read. */
    int pollPlan() {
        List<LogEntry> batch;
        try {
            batch = plan.poll(POLL);
        } catch (SchemaException e) {
            onUnreadable(e.position(), e.getMessage());
            plan.seek(0, plan.positions().getOrDefault(0, 0L) + 1);
            return 1;
        }
        for (LogEntry e : batch) {
            journal.append(e);
            apply(e);
        }
        if (!caughtUp && plan.hasReached(startEnd)) {
            caughtUp = true;
            LOG.info("caught up with the plan at {} ({} rules)", plan.positions(), tracker.ruleCount());
        }
        return batch.size();
    }

    private void apply(LogEntry entry) {
        if (!(entry.envelope().payload() instanceof Decision d)) {
            onUnreadable(entry.position(), "not a plan decision: " + entry.envelope().type());
            return;
        }
        List<RuleDelta> deltas;
        try {
            deltas = tracker.apply(d);
        } catch (IllegalArgumentException e) {
            onUnreadable(entry.position(), e.getMessage());
            return;
        }
        applied.incrementAndGet();
        for (RuleDelta delta : deltas) {
            Outcome o = switch (delta) {
                case RuleDelta.Upsert u -> forwarder.upsertRule(u.rule());
                case RuleDelta.Remove r -> forwarder.removeRule(r.ruleId());
            };
            if (o instanceof Outcome.Refused refused) {
                ruleFailures.incrementAndGet();
                LOG.warn("forwarder refused {} at {}: {}", delta, entry.position(), refused.reason());
            }
        }
        if (lease != null) {
            onTerm(d); // before the first incarnation, rejoin copies the terms into its lease
        }
    }

    private void onTerm(Decision d) {
        synchronized (leaseLock) {
            onTermLocked(d);
        }
    }

    private void onTermLocked(Decision d) {
        switch (d) {
            case Decision.InstanceMastered m -> lease.onPlan(m.instance(), m.term(), m.master());
            case Decision.InstanceHandover h -> {
                if (lease.self().equals(h.from())) {
                    LOG.info("handing {}@{} over to {}", h.instance(), h.term(), h.to());
                    lease.onHandover(h.instance(), h.term());
                }
            }
            default -> {
                // other records change rules or placement only
            }
        }
    }

    private void onUnreadable(String position, String message) {
        long n = unreadable.incrementAndGet();
        if (n == 1) {
            firstUnreadable = position;
        }
        LOG.warn("plan record at {} cannot be applied, skipped (forwarding keeps the last good state): {}",
                position, message);
    }

    /** Rejoins now, or returns how long to wait first (consecutive never-acknowledged incarnations back off). */
    private long rejoinWhenDue(long now) {
        long wait = rejoinBackoff.onLapsed(lease.everAcknowledged(), now);
        if (wait > 0) {
            return Math.min(MAX_BEAT_WAIT_NANOS, wait);
        }
        if (rejoinBackoff.unackedInARow() > 1) {
            LOG.warn("{} incarnations in a row lapsed without an acknowledged beat (broker unreachable?)",
                    rejoinBackoff.unackedInARow());
        }
        rejoin(lease.self().incarnation());
        return 0;
    }

    private void rejoin(long previous) {
        AgentRef self = new AgentRef(config.name(), AgentLease.nextIncarnation(previous, wallClock.getAsLong()));
        AgentLease next = new AgentLease(self, config.apiHost(), config.lease());
        tracker.terms().forEach((instance, t) -> next.onPlan(instance, t.term(), t.master()));
        if (drainRequested) {
            next.setDraining(true);
        }
        this.lease = next;
        this.sender = new BeatSender(writer, log.partitions(Topic.HEARTBEATS), next, nanoClock, wallClock);
        LOG.info("{} as {}", previous == 0 ? "joining" : "lease lapsed: dropped every VIP, rejoining", self);
    }

    /** Asks the loop to drain (SIGTERM). */
    void requestDrain() {
        drainRequested = true;
    }

    /** Whether a drain is over: the plan names this incarnation master of nothing, or the drain timeout passed. */
    boolean drained() {
        if (!draining) {
            return false;
        }
        boolean handedOver = tracker.terms().values().stream().noneMatch(t -> lease.self().equals(t.master()));
        if (handedOver) {
            LOG.info("drained: every instance handed over");
            return true;
        }
        if (nanoClock.getAsLong() - drainDeadline >= 0) {
            LOG.warn("drain timeout {} passed with instances still named on {}", config.drainTimeout(), lease.self());
            return true;
        }
        return false;
    }

    /** Drops every VIP and closes the log clients (the forwarder and journal belong to the caller). */
    void stop() {
        claims.releaseAll();
        if (writer != null) {
            writer.flush();
            writer.close();
        }
        if (plan != null) {
            plan.close();
        }
        if (log != null) {
            log.close();
        }
    }

    AgentRef self() {
        AgentLease l = lease;
        return l == null ? null : l.self();
    }

    LeaseView view() {
        return lastView;
    }

    Set<InetAddress> claimed() {
        return claims.claimed();
    }

    long claimFailures() {
        return claims.failures();
    }

    long unreadable() {
        return unreadable.get();
    }

    String firstUnreadable() {
        return firstUnreadable;
    }

    long applied() {
        return applied.get();
    }

    long ruleFailures() {
        return ruleFailures.get();
    }

    boolean caughtUp() {
        return caughtUp;
    }

    boolean draining() {
        return drainRequested;
    }
}
