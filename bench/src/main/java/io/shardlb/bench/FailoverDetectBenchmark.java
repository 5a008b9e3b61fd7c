package io.shardlb.bench;

import io.shardlb.arbiter.AgentLease;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.BeatSender;
import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code failover-detect}: from the send start of a silenced agent's last acknowledged beat to the acknowledgement
 * of the {@code AgentDown} the arbiter writes for it (committed: acks=all), default lease settings, on one host
 * clock ({@code System.nanoTime()}): the agent ({@link AgentLease} + {@link BeatSender}) and the
 * {@link ArbiterService} run in this JVM, the broker in a child JVM. One agent per trial beats for a random
 * 0.6–1.2 s, then falls silent. Also reports where the time goes: beat send to the arbiter reading it, reading it
 * to handing AgentDown to the writer (lease + margin + the decision's own delay), and the write's acknowledgement.
 */
final class FailoverDetectBenchmark implements Benchmark {
    private static final int TRIALS = 30;
    private static final int WARM_UP = 3;
    private static final double TARGET_P99_MS = 700;
    private static final long TRIAL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Override
    public String name() {
        return "failover-detect";
    }

    @Override
    public String description() {
        return "ms from a silenced agent's last acked beat (send start) to the committed AgentDown, default lease"
                + " 400 + margin 200 ms, " + TRIALS + " trials (embedded broker, child JVM)";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        LeaseSettings settings = LeaseSettings.DEFAULTS;
        Map<String, Long> downAckedAt = new ConcurrentHashMap<>();
        try (EmbeddedKafkaProcess broker = LogBench.startBroker(work);
             KafkaEventLog kafka = LogBench.open(broker, "detect-" + ProcessHandle.current().pid())) {
            StampedLog log = new StampedLog(kafka);
            String loadBefore = LogBench.load();
            try (ArbiterService arbiter = new ArbiterService(log, settings, System::nanoTime, "arbiter",
                    (fact, pos, ackedAt) -> {
                        if (fact instanceof Fact.AgentDown d) {
                            downAckedAt.putIfAbsent(StampedLog.key(d.agent(), d.incarnation()), ackedAt);
                        }
                    })) {
                arbiter.setActive(true);
                arbiter.start("arbiter");
                List<double[]> trials = new ArrayList<>();
                int lapsedAtStart = 0;
                for (int i = 0; i < WARM_UP + 2 * TRIALS && trials.size() < TRIALS; i++) {
                    double[] t = trial(log, settings, "agent-" + i, downAckedAt);
                    if (t == null) {
                        lapsedAtStart++;
                    } else if (i >= WARM_UP) {
                        trials.add(t);
                    }
                }
                return results(trials, lapsedAtStart, loadBefore);
            }
        }
    }

    /**
     * One agent beats, falls silent; returns {total, send->read, read->append, append->ack} in ms, or null when
     * its first beat was acknowledged too late and the incarnation lapsed before it ever held a lease.
     */
    private static double[] trial(StampedLog log, LeaseSettings settings, String agent,
                                  Map<String, Long> downAckedAt) throws InterruptedException {
        AgentRef self = new AgentRef(agent, 1);
        AgentLease lease = new AgentLease(self, "127.0.0.1:1", settings);
        try (PlainWriter writer = log.plainWriter(self.toString())) {
            BeatSender sender = new BeatSender(writer, log.partitions(Topic.HEARTBEATS), lease, System::nanoTime,
                    System::currentTimeMillis);
            long beatFor = TimeUnit.MILLISECONDS.toNanos(600 + ThreadLocalRandom.current().nextInt(600));
            long start = System.nanoTime();
            while (System.nanoTime() - start < beatFor) {
                try {
                    sender.sendIfDue();
                } catch (IllegalStateException lapsed) {
                    break; // first beat acknowledged too late: this incarnation is over (counted below)
                }
                LockSupport.parkNanos(Math.clamp(lease.nextWakeNanos() - System.nanoTime(), 100_000L, 20_000_000L));
            }
            writer.flush(); // silenced: no new beat starts; those in flight complete
            boolean held = lease.view(System.nanoTime()).phase() == LeasePhase.VALID;
            String key = StampedLog.key(agent, 1);
            long deadline = System.nanoTime() + TRIAL_TIMEOUT_NANOS;
            while (!downAckedAt.containsKey(key)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("no AgentDown for " + key + " within 10 s");
                }
                Thread.sleep(5);
            }
            if (!held) {
                return null;
            }
            long sent = sender.lastAckedSentAtNanos();
            long read = log.beatReadAt.get(key);
            long appended = log.downAppendedAt.get(key);
            long acked = downAckedAt.get(key);
            return new double[] {ms(acked - sent), ms(read - sent), ms(appended - read), ms(acked - appended)};
        }
    }

    private static List<Result> results(List<double[]> trials, int lapsedAtStart, String loadBefore) {
        double p50 = percentile(trials, 0, 50);
        double p99 = percentile(trials, 0, 99);
        String where = String.format(Locale.ROOT, "median split: beat send->arbiter read %.1f ms, read->AgentDown "
                        + "handed to writer %.1f ms (lease 400 + margin 200 + decision delay), write->ack %.1f ms; "
                        + "max %.1f ms; p99 split %.1f / %.1f / %.1f ms", percentile(trials, 1, 50),
                percentile(trials, 2, 50), percentile(trials, 3, 50), percentile(trials, 0, 100),
                percentile(trials, 1, 99), percentile(trials, 2, 99), percentile(trials, 3, 99));
        String note = trials.size() + " trials, default lease settings, one host clock; "
                + (p99 <= TARGET_P99_MS ? "target p99 <= 700 ms met" : "target p99 <= 700 ms MISSED") + "; " + where
                + "; " + lapsedAtStart + " incarnations lapsed at start (not counted); " + loadBefore + " -> "
                + LogBench.load() + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        return List.of(new Result("detect_p50_ms", p50, "ms", note), new Result("detect_p99_ms", p99, "ms", note));
    }

    /** Nearest-rank percentile of column {@code col}. */
    static double percentile(List<double[]> rows, int col, double pct) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        int rank = (int) Math.ceil(pct / 100.0 * v.length);
        return v[Math.clamp(rank - 1, 0, v.length - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
