package io.shardlb.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.bridge.leader.LeaderElection;
import io.shardlb.bridge.leader.LeadershipListener;
import io.shardlb.bridge.out.Reconciler;
import io.shardlb.events.log.ErrorCountingLog;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code shardlb controller}: kube-bridge, the planner and the arbiter in one process, working only while this
 * process holds the Lease. Leadership changes are handled one at a time on one thread; a {@link LeaderTerm}
 * holds everything a leader runs and stops all of it when leadership goes. A standby keeps the metrics endpoint
 * and campaigns; it is ready (it can take over) and healthy.
 *
 * <p>A planner that finds itself fenced, or any failure to start leading, stops the process with a non-zero
 * exit: something else believes it leads, and the log (fencing) keeps the plan safe while Kubernetes restarts
 * this one.
 */
final class ControllerProcess implements AutoCloseable {
    /** The exit code of a process stopped by a fault (fenced planner, failure to start leading). */
    static final int EXIT_FAULT = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ControllerProcess.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final ControllerConfig config;
    private final KubernetesClient client;
    private final EventLog log;
    private final ControllerMetrics metrics = new ControllerMetrics();
    private final ArbiterService arbiter;
    private final Reconciler reconciler;
    private final ExecutorService transitions = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .daemon().name("controller-leadership").unstarted(r));
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile LeaderElection election;
    private volatile LeaderTerm term;
    private HealthEndpoint endpoint;
    private Thread arbiterLoop;

    /** A controller on {@code client} and {@code log}, not started. Closing it closes neither. */
    ControllerProcess(ControllerConfig config, KubernetesClient client, EventLog log) {
        this.config = config;
        this.client = client;
        // counted here, not where opened: every client the controller makes reports its failures to the metric
        this.log = ErrorCountingLog.wrap(log, (operation, error) -> metrics.logErrors.labelValues(operation).inc());
        this.arbiter = new ArbiterService(this.log, LeaseSettings.DEFAULTS, System::nanoTime, "arbiter",
                (fact, pos, at) -> {
                    if (fact instanceof Fact.AgentDown down) {
                        metrics.onAgentDown(down, pos.logTime());
                    }
                });
        this.reconciler = new Reconciler(client, config.bridge(), Clock.systemUTC(), Duration.ofMillis(50));
    }

    /** Serves metrics and health, starts the (idle) arbiter loop and campaigns for the Lease. */
    void start() throws IOException {
        endpoint = new HealthEndpoint(config.metricsHost(), config.metricsPort(), metrics,
                () -> !exit.isDone(), () -> !exit.isDone());
        arbiterLoop = Thread.ofPlatform().daemon().name("arbiter").start(this::runArbiter);
        campaign();
        LOG.info("controller {} started: log {}, lease {}/{}, metrics on {}:{}", config.lease().identity(),
                log.describe(), config.lease().namespace(), config.lease().name(), config.metricsHost(),
                endpoint.port());
    }

    /** Blocks until the process stops; returns its exit code (0 after {@link #close}). */
    int awaitExit() {
        return exit.join();
    }

    /** Whether this process leads and runs the planner, arbiter and bridge right now. */
    boolean isLeading() {
        LeaderTerm t = term;
        return t != null && t.isRunning();
    }

    /** Whether this process leads and has reconciled every Service of the plan once. */
    boolean caughtUp() {
        LeaderTerm t = term;
        return t != null && t.caughtUp();
    }

    /** The port of {@code /metrics}, {@code /healthz}, {@code /readyz}. */
    int metricsPort() {
        return endpoint.port();
    }

    /** The metrics (for tests and the endpoint). */
    ControllerMetrics metrics() {
        return metrics;
    }

    private void campaign() {
        LeaderElection e = new LeaderElection(client, config.lease(), new LeadershipListener() {
            @Override
            public void onStartLeading() {
                transition(ControllerProcess.this::startLeading);
            }

            @Override
            public void onStopLeading() {
                transition(ControllerProcess.this::stopLeading);
            }

            @Override
            public void onNewLeader(String identity) {
                LOG.info("leader is {}", identity);
            }
        });
        election = e;
        e.start();
    }

    private void transition(Runnable r) {
        try {
            transitions.submit(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("leadership change after shutdown ignored");
        }
    }

    private void startLeading() {
        if (exit.isDone() || term != null) {
            return;
        }
        try {
            ObservedImage last = lastObserved();
            LeaderTerm t = new LeaderTerm(config, client, log, reconciler, arbiter, metrics, this::fault);
            term = t;
            t.start(last);
            metrics.leader.set(1);
        } catch (Exception e) {
            fault("could not start leading", e);
        }
    }

    private void stopLeading() {
        metrics.leader.set(0);
        LeaderTerm t = term;
        term = null;
        if (t != null) {
            t.close();
        }
        reconciler.forgetCaches(); // another leader may write Events from now on
        if (!exit.isDone()) {
            // fabric8's elector does not campaign again after losing the Lease: start a new one
            LeaderElection old = election;
            if (old != null) {
                old.close();
            }
            campaign();
        }
    }

    /** Folds {@code events} up to its current end: what the log already says. */
    private ObservedImage lastObserved() {
        ObservedDelta d = ObservedImage.EMPTY.delta();
        try (LogReader r = log.reader(Topic.EVENTS)) {
            Map<Integer, Long> end = r.endOffsets();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!r.hasReached(end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("events not read to " + end + " within " + READ_TIMEOUT);
                }
                for (LogEntry e : r.poll(Duration.ofMillis(200))) {
                    d.replay(e);
                }
            }
        }
        return d.apply();
    }

    private void runArbiter() {
        while (!exit.isDone()) {
            try {
                int n = arbiter.doWork();
                metrics.agentsUp.set(arbiter.upAgents().size());
                if (n == 0 && !arbiter.isActive()) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("arbiter cycle failed; it starts again from the log", e);
            }
        }
        arbiter.close();
        arbiter.doWork(); // closed: steps down and closes its clients
    }

    /** Stops the process with {@link #EXIT_FAULT}: loudly, never silently deciding on. */
    private void fault(String why, Throwable cause) {
        LOG.error("controller stops: {}", why, cause);
        if (exit.complete(EXIT_FAULT)) {
            transitions.submit(this::shutdown);
        }
    }

    private void shutdown() {
        LeaderElection e = election;
        if (e != null) {
            e.close();
        }
        LeaderTerm t = term;
        term = null;
        if (t != null) {
            t.close();
        }
        metrics.leader.set(0);
    }

    @Override
    public void close() {
        exit.complete(0);
        if (transitions.isShutdown()) {
            return; // closed before
        }
        try {
            transitions.submit(this::shutdown).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("controller shutdown incomplete: {}", e.toString());
        }
        transitions.shutdownNow();
        if (arbiterLoop != null) {
            try {
                arbiterLoop.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
