package io.shardlb.agent.control;

import io.shardlb.agent.api.AgentApi;
import io.shardlb.agent.api.AgentStatus;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.arbiter.LeaseView;
import io.shardlb.events.log.ErrorCountingLog;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A running agent: programs its forwarder's rules from the local journal, then (on its loop thread) connects to the
 * log, tails the plan, claims under its lease and beats (see {@link AgentLoop}); serves the read-only API. The log
 * may be unreachable at start: the journal's rules are in place before the first connection attempt, and the loop
 * retries the connection.
 */
public final class Agent implements AgentStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final long RETRY_MS = 1000;

    private final AgentConfig config;
    private final Forwarder forwarder;
    private final PlanTracker tracker = new PlanTracker();
    private final PlanJournal journal;
    private final AgentLoop loop;
    private final Supplier<EventLog> logOpener;
    private final CountDownLatch exited = new CountDownLatch(1);
    private final int journalRules;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> logErrors =
            new java.util.concurrent.ConcurrentHashMap<>();
    private AgentApi api;
    private Thread thread;

    private Agent(AgentConfig config, Forwarder forwarder, Supplier<EventLog> logOpener) {
        this.config = config;
        this.forwarder = forwarder;
        this.logOpener = logOpener;
        this.journal = new PlanJournal(config.journalDir());
        this.loop = new AgentLoop(config, tracker, journal, forwarder, System::nanoTime, System::currentTimeMillis);
        this.journalRules = loop.replayJournal();
    }

    /**
     * Starts an agent: journal rules first (before this returns), then the API and the loop thread.
     *
     * @param logOpener opens the log; called on the loop thread, retried every second while it fails
     */
    public static Agent start(AgentConfig config, Forwarder forwarder, Supplier<EventLog> logOpener) {
        Agent agent = new Agent(config, forwarder, logOpener);
        LOG.info("{}: {} rules programmed from the journal in {}", config.name(), agent.journalRules,
                config.journalDir());
        agent.api = AgentApi.start(config.apiHost(), config.apiPort(), agent);
        agent.thread = Thread.ofPlatform().name("agent-" + config.name()).start(agent::run);
        return agent;
    }

    /** The number of forwarder rules programmed from the journal at start. */
    public int journalRules() {
        return journalRules;
    }

    /** The number of plan records stated by the planner's snapshot when the agent reached the log (0: none). */
    public int snapshotRecords() {
        return loop.fromSnapshot();
    }

    /** The port the API listens on. */
    public int apiPort() {
        return api.port();
    }

    private void run() {
        try {
            while (running && !loop.connected()) {
                try {
                    loop.connect(ErrorCountingLog.open(logOpener, this::onLogError));
                } catch (RuntimeException e) {
                    LOG.warn("cannot reach the log {} yet, retrying: {}", config.logUri(), e.toString());
                    sleep();
                }
            }
            Thread beats = Thread.ofPlatform().name("agent-beat-" + config.name()).start(this::beatLoop);
            try {
                while (running && !loop.drained()) {
                    loop.pollPlan();
                }
            } finally {
                running = false;
                beats.join();
            }
        } catch (RuntimeException e) {
            LOG.error("agent loop failed; dropping every VIP", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                loop.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the loop: {}", e.toString());
            }
            exited.countDown();
        }
    }

    private void beatLoop() {
        try {
            while (running && !loop.drained()) {
                long wait = loop.beat();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("beat loop failed; stopping the agent", e);
        } finally {
            running = false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM: beats with {@code draining}, waits until the plan has handed every instance of this incarnation to
     * another agent or the drain timeout passed, then stops (at once if the log was never reached). Returns when the
     * loop has stopped.
     */
    public void drainAndStop() {
        if (!loop.connected()) {
            // never reached the log: no lease, nothing claimed, nothing the plan could hand over
            LOG.info("{}: stopping before the log was reached, nothing to drain", config.name());
            close();
            return;
        }
        loop.requestDrain();
        awaitExit(config.drainTimeout().toMillis() + 30_000);
        close();
    }

    /** Waits up to {@code millis} for the loop to stop; whether it did. */
    public boolean awaitExit(long millis) {
        try {
            return exited.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        running = false;
        awaitExit(30_000);
        if (api != null) {
            api.close();
        }
        forwarder.close();
        journal.close();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String iface() {
        return config.iface();
    }

    @Override
    public AgentRef self() {
        return loop.self();
    }

    @Override
    public LeaseView lease() {
        return loop.view();
    }

    @Override
    public Set<InetAddress> claimed() {
        return loop.claimed();
    }

    @Override
    public Map<String, Decision.RuleSet> rules() {
        return tracker.rules();
    }

    @Override
    public Map<String, PlanTracker.Term> terms() {
        return tracker.terms();
    }

    @Override
    public Optional<RuleCounters> counters(String ruleId) {
        return forwarder.counters(ruleId);
    }

    @Override
    public Map<DropKind, Long> drops() {
        return forwarder.drops();
    }

    @Override
    public long unreadable() {
        return loop.unreadable();
    }

    @Override
    public String firstUnreadable() {
        return loop.firstUnreadable();
    }

    @Override
    public long claimFailures() {
        return loop.claimFailures();
    }

    @Override
    public boolean caughtUp() {
        return loop.caughtUp();
    }

    @Override
    public boolean draining() {
        return loop.draining();
    }

    private void onLogError(String operation, Throwable error) {
        logErrors.computeIfAbsent(operation, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    @Override
    public Map<String, Long> logClientErrors() {
        Map<String, Long> out = new java.util.TreeMap<>();
        ErrorCountingLog.OPERATIONS.forEach(op -> out.put(op, 0L));
        logErrors.forEach((op, n) -> out.put(op, n.sum()));
        return out;
    }
}
