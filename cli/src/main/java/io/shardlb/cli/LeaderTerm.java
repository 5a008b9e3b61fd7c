package io.shardlb.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.bridge.KubeBridge;
import io.shardlb.bridge.out.Reconciler;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.stage.PlannerStage;
import io.shardlb.planner.stage.StageStoppedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What one leadership term runs: the configuration fact (only when it differs from the log's), the planner
 * stage on its own thread, the plan follower (reconciles) on another, the bridge's informers writing facts, and
 * the arbiter switched on. {@link #close} stops all of it, waiting for the threads so that no write of this term
 * happens after it returns.
 */
final class LeaderTerm implements AutoCloseable {
    /** The writer name of the facts the bridge and the controller write. */
    static final String WRITER = "kube-bridge";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);
    private static final long LAG_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final ControllerConfig config;
    private final KubernetesClient client;
    private final EventLog log;
    private final ArbiterService arbiter;
    private final ControllerMetrics metrics;
    private final BiConsumer<String, Throwable> fault;
    private final PlanFollower follower;
    private volatile boolean running = true;
    private volatile boolean started;
    private PlainWriter writer;
    private KubeBridge bridge;
    private Thread plannerThread;
    private Thread followerThread;

    LeaderTerm(ControllerConfig config, KubernetesClient client, EventLog log, Reconciler reconciler,
               ArbiterService arbiter, ControllerMetrics metrics, BiConsumer<String, Throwable> fault) {
        this.config = config;
        this.client = client;
        this.log = log;
        this.arbiter = arbiter;
        this.metrics = metrics;
        this.fault = fault;
        this.follower = new PlanFollower(log, reconciler, metrics);
    }

    /** Whether the term has started everything and still runs. */
    boolean isRunning() {
        return running && started;
    }

    /** Whether the plan follower has caught up and reconciled every Service once. */
    boolean caughtUp() {
        return isRunning() && follower.caughtUp();
    }

    /** Starts leading from {@code last}, what the log already says. */
    void start(ObservedImage last) throws Exception {
        writer = log.plainWriter(WRITER);
        ObservedImage from = last;
        if (!last.config().equals(Optional.of(config.configFact()))) {
            LOG.info("configuration differs from the log's; recording ConfigObserved {}",
                    config.configFact().summary());
            append(config.configFact());
            ObservedDelta d = last.delta();
            d.replay(config.configFact());
            from = d.apply();
        }
        PlannerStage stage = new PlannerStage(log, new PlannerSnapshots(log), PlannerStage.Options.DEFAULTS);
        plannerThread = Thread.ofPlatform().daemon().name("planner").start(() -> runPlanner(stage));
        followerThread = Thread.ofPlatform().daemon().name("plan-follower").start(this::runFollower);
        arbiter.setActive(true);
        bridge = new KubeBridge(client, config.bridge(), from, this::append);
        bridge.onServiceChange(follower::serviceChanged);
        bridge.start(SYNC_TIMEOUT);
        started = true;
        LOG.info("leading: planner, arbiter, bridge and plan follower running");
    }

    /** The bridge's sink: one fact, appended and acknowledged before the next (a failure is retried). */
    private void append(Fact fact) {
        if (!running) {
            throw new IllegalStateException("no longer leading; " + fact.summary() + " not written");
        }
        writer.append(Outgoing.to(Topic.EVENTS, Envelope.of(fact, WRITER))).join();
        metrics.bridgeFacts.inc();
        if (fact instanceof Fact.AgentObserved pod) {
            arbiter.onPodObserved(pod);
        }
    }

    private void runPlanner(PlannerStage stage) {
        try (stage) {
            stage.activate();
            long lagAt = 0;
            while (running) {
                long t0 = System.nanoTime();
                int n = stage.doWork();
                if (n > 0) {
                    metrics.plannerLatency.observe((System.nanoTime() - t0) / 1e9);
                    metrics.plannerFacts.inc(n);
                }
                if (System.nanoTime() - lagAt > LAG_EVERY_NANOS) {
                    lagAt = System.nanoTime();
                    long end = log.endOffsets(Topic.EVENTS).getOrDefault(0, 0L);
                    metrics.plannerLag.set(Math.max(0, end - 1 - stage.answered()));
                }
            }
        } catch (StageStoppedException e) {
            if (running) {
                fault.accept("the planner stopped (" + e.getMessage() + ")", e);
            }
        } catch (RuntimeException e) {
            if (running) {
                fault.accept("the planner failed", e);
            }
        }
    }

    private void runFollower() {
        try {
            follower.run();
        } catch (RuntimeException e) {
            if (running) {
                fault.accept("the plan follower failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        arbiter.setActive(false);
        follower.stop();
        if (bridge != null) {
            bridge.close();
        }
        join(plannerThread);
        join(followerThread);
        if (writer != null) {
            writer.close();
        }
        LOG.info("stopped leading: planner closed, arbiter inactive, bridge closed");
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            if (!t.join(Duration.ofSeconds(30))) {
                LOG.warn("{} did not stop within 30 s", t.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
