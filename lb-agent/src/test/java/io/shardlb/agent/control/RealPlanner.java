package io.shardlb.agent.control;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.events.snapshot.Snapshots;
import io.shardlb.planner.stage.PlannerStage;
import io.shardlb.planner.stage.SnapshotStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real planner's controller stage on a thread of the test, the facts a kube-bridge would write, and a fold of
 * the plan it writes (the test's expectation of who must answer; the answers themselves are judged from outside).
 */
public final class RealPlanner implements AutoCloseable {
    private final PlannerStage stage;
    private final PlainWriter facts;
    private final PlanTracker plan = new PlanTracker();
    private final Thread planThread;
    private final Thread watchThread;
    private volatile boolean running = true;

    public RealPlanner(EventLog log) {
        this(log, PlannerStage.Options.DEFAULTS);
    }

    /** A planner writing a snapshot every {@code snapshotEveryFacts} facts. */
    RealPlanner(EventLog log, int snapshotEveryFacts) {
        this(log, new PlannerStage.Options(snapshotEveryFacts, PlannerStage.Options.DEFAULTS.poll()));
    }

    private RealPlanner(EventLog log, PlannerStage.Options options) {
        SnapshotStore store = new SnapshotStore() {
            @Override
            public List<Outgoing> chunk(long position, byte[] image) {
                return Snapshots.chunk("planner", position, image);
            }

            @Override
            public Optional<Stored> latest() {
                return Snapshots.latest(log, "planner").map(s -> new Stored(s.position(), s.image()));
            }
        };
        this.stage = new PlannerStage(log, store, options);
        this.facts = log.plainWriter("test-bridge");
        stage.activate();
        planThread = Thread.ofPlatform().daemon().name("planner").start(() -> {
            while (running) {
                stage.doWork();
            }
        });
        LogReader reader = log.reader(Topic.PLAN);
        watchThread = Thread.ofPlatform().daemon().name("plan-watch").start(() -> {
            try (reader) {
                while (running) {
                    List<LogEntry> batch;
                    try {
                        batch = reader.poll(Duration.ofMillis(50));
                    } catch (io.shardlb.events.schema.SchemaException e) {
                        reader.seek(0, reader.positions().get(0) + 1);
                        continue;
                    }
                    for (LogEntry e : batch) {
                        synchronized (plan) {
                            plan.apply(e.envelope().payload(Decision.class));
                        }
                    }
                }
            }
        });
    }

    /** Writes a fact to {@code events}, as the controller's bridge would. */
    public void observe(Fact fact) {
        facts.append(Outgoing.to(Topic.EVENTS, Envelope.of(fact, "test-bridge"))).join();
    }

    /** The plan as folded so far. */
    public PlanTracker.Term term(String instance) {
        synchronized (plan) {
            return plan.terms().get(instance);
        }
    }

    /** The VIP of a Service's rule, null before its RuleSet. */
    public Decision.RuleSet rule(String service) {
        synchronized (plan) {
            return plan.rules().get(service);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        planThread.join(10_000);
        watchThread.join(10_000);
        stage.close();
        facts.close();
    }
}
