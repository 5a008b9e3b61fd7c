package io.shardlb.bench;

import io.shardlb.e2e.scenario.Scenarios;
import io.shardlb.e2e.scenario.Stage;
import io.shardlb.e2e.system.Replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code e2e}: the whole system on loopback (embedded broker, mock API, controller and three proxy agents as child
 * JVMs), judged by the probe (a new connection per request every 10 ms, 2 s timeout, no retry, plus a long-lived
 * connection) and the listener monitor, with the full trial counts of issue 14: kill -9 of a master and its
 * return, SIGTERM drains and returns, Service create → VIP answers, a 60 s broker outage; replay --verify after
 * every scenario.
 */
final class E2eBenchmark implements Benchmark {
    private static final int FAILOVERS = 20;
    private static final int DRAINS = 3;
    private static final int CREATES = 50;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int CHURN_ROUNDS = 5;

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String description() {
        return "whole system on loopback (proxy forwarder): " + FAILOVERS + " kill -9 failovers + returns, "
                + DRAINS + " drains + returns, " + CREATES + " creates, a " + OUTAGE.toSeconds()
                + " s broker outage, the controller killed " + CHURN_ROUNDS + " times during churn";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        String loadBefore = LogBench.load();
        List<String> replays = new ArrayList<>();
        try (Stage stage = Stage.start(work, Scenarios.POOLS, Duration.ofMinutes(60))) {
            Scenarios.seed(stage);
            replays.add(replay(stage, "seed"));
            List<Double> failover = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            long returnFailed = 0;
            List<String> services = List.copyOf(Stage.SEED.keySet());
            for (int i = 0; i < FAILOVERS; i++) {
                Scenarios.Failover f = Scenarios.killMaster(stage, services.get(i % services.size()));
                failover.add(f.failoverMs());
                gaps.add(f.back().longestGapMs());
                returnFailed += f.back().failedRequests();
            }
            replays.add(replay(stage, "failover"));
            long drainFailed = 0;
            long drainLongLived = 0;
            for (int i = 0; i < DRAINS; i++) {
                String[] drained = new String[1];
                Scenarios.Handover d = Scenarios.drain(stage, services.get(i % services.size()), drained);
                Scenarios.Handover back = Scenarios.returnAgent(stage, drained[0]);
                drainFailed += d.failedRequests() + back.failedRequests();
                drainLongLived += d.longLivedFailures() + back.longLivedFailures();
                gaps.add(d.longestGapMs());
                gaps.add(back.longestGapMs());
                returnFailed += back.failedRequests();
            }
            replays.add(replay(stage, "drain"));
            List<Double> create = Scenarios.create(stage, CREATES, "bulk-");
            replays.add(replay(stage, "create"));
            Scenarios.Outage outage = Scenarios.kafkaOutage(stage, OUTAGE);
            replays.add(replay(stage, "kafka outage"));
            Scenarios.Churn churn = Scenarios.controllerChurn(stage, CHURN_ROUNDS, 14);
            replays.add(replay(stage, "controller killed " + churn.kills() + "x during churn ("
                    + churn.created() + " created, " + churn.deleted() + " deleted, all served after)"));
            int splitBrain = stage.splitBrainInstants().size();
            String common = "loopback proxy agents, listener monitor as the ARP stand-in; replay --verify: "
                    + String.join(", ", replays) + "; controller restarts by the supervisor: "
                    + stage.system().controllerRestarts() + "; " + loadBefore + " -> " + LogBench.load() + " on "
                    + Runtime.getRuntime().availableProcessors() + " cores";
            double fp99 = pct(failover, 99);
            double gp99 = pct(gaps, 99);
            double cp99 = pct(create, 99);
            return List.of(
                    new Result("failover_p50_ms", pct(failover, 50), "ms", failover.size() + " kill -9 trials; "
                            + common),
                    new Result("failover_p99_ms", fp99, "ms", target(fp99, 1000) + "; max " + pct(failover, 100)
                            + " ms; " + common),
                    new Result("handover_gap_p99_ms", gp99, "ms", target(gp99, 100) + "; " + gaps.size()
                            + " handovers (returns after kill, drains, returns after drain), 10 ms resolution; "
                            + returnFailed + " failed new-connection requests on returns; " + common),
                    new Result("create_p50_ms", pct(create, 50), "ms", create.size() + " Services; " + common),
                    new Result("create_p99_ms", cp99, "ms", target(cp99, 300) + "; " + common),
                    new Result("split_brain_instants", splitBrain, "count", target(splitBrain, 0) + "; " + common),
                    new Result("drain_failed_requests", drainFailed, "count", target(drainFailed, 0) + " over "
                            + DRAINS + " drains + returns; long-lived exchanges failed (onearm resets by design): "
                            + drainLongLived + "; " + common),
                    new Result("kafka_recovery_ms", outage.recoveryMs(), "ms", OUTAGE.toSeconds()
                            + " s outage: " + outage.failedDuring() + " failed requests during it (leases lapse by"
                            + " design); controller restarted: " + outage.controllerRestarted() + "; " + common));
        }
    }

    private static String replay(Stage stage, String after) {
        Replay r = stage.system().verifyReplay();
        return after + (r.verified() ? " ok" : " FAILED (" + r.output().strip().lines().findFirst().orElse("") + ")");
    }

    private static String target(double v, double max) {
        return v <= max ? "target <= " + Result.format(max) + " met" : "target <= " + Result.format(max) + " MISSED";
    }

    /** Nearest-rank percentile. */
    private static double pct(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return Double.parseDouble(String.format(Locale.ROOT, "%.1f", v[Math.max(0, rank - 1)]));
    }
}
