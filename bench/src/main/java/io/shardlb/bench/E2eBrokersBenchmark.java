package io.shardlb.bench;

import io.shardlb.e2e.scenario.BrokerLoss;
import io.shardlb.e2e.scenario.Scenarios;
import io.shardlb.e2e.scenario.Stage;
import io.shardlb.e2e.system.Replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code e2e-brokers}: the whole system (controller, three proxy agents, probe) on a 3-node KRaft cluster of child
 * JVMs with the product's topic layout and default 400 ms leases; {@value #TRIALS} times, the broker leading most
 * of heartbeats and plan is killed (-9) for {@link BrokerLoss#DOWN} and started again. Figures: failed requests
 * through the VIPs (target 0), AgentDown facts logged meanwhile (target 0), and how long beats went
 * unacknowledged (longest gap between an agent's acknowledged beats, against the 400 ms lease), with the same
 * figure for as long a window before each kill (the load alone).
 */
final class E2eBrokersBenchmark implements Benchmark {
    private static final int TRIALS = 5;
    private static final int LEASE_MS = 400;

    @Override
    public String name() {
        return "e2e-brokers";
    }

    @Override
    public String description() {
        return "whole system on a 3-broker KRaft cluster (child JVMs): " + TRIALS + " kills of the broker leading"
                + " most of heartbeats and plan, " + BrokerLoss.DOWN.toSeconds() + " s each, default leases";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        String loadBefore = LogBench.load();
        List<String> notes = new ArrayList<>();
        long failed = 0;
        long downs = 0;
        double stall = -1;
        double stallBefore = -1;
        int done = 0;
        try (Stage stage = Stage.start(work, Scenarios.POOLS, Duration.ofMinutes(60), 3)) {
            Scenarios.seed(stage);
            for (int i = 0; i < TRIALS; i++) {
                try {
                    BrokerLoss loss = BrokerLoss.run(stage);
                    failed += loss.failedRequests();
                    downs += loss.agentDowns().size();
                    stall = Math.max(stall, loss.beatStall().duringMs());
                    stallBefore = Math.max(stallBefore, loss.beatStall().beforeMs());
                    done++;
                    notes.add("kill of broker " + loss.killed() + ": " + loss.failedRequests() + " failed, "
                            + loss.agentDowns().size() + " AgentDown, beats stalled " + Math.round(
                            loss.beatStall().duringMs()) + " ms (" + Math.round(loss.beatStall().beforeMs())
                            + " ms before)" + (loss.mastersBefore().equals(loss.mastersAfter()) ? "" : ", masters moved")
                            + "; before the kill in " + loss.baseline().windowMs() + " ms: "
                            + loss.baseline().failedRequests() + " failed, " + loss.baseline().agentDowns()
                            + " AgentDown");
                } catch (Exception | AssertionError e) {
                    notes.add("trial " + i + " FAILED: " + e.getMessage());
                    stage.system().diagnose();
                }
            }
            Replay r = stage.system().verifyReplay();
            notes.add("replay --verify " + (r.verified() ? "ok" : "FAILED"));
            notes.add("split-brain instants " + stage.splitBrainInstants().size());
        }
        String common = done + " of " + TRIALS + " trials measured; " + String.join("; ", notes) + "; "
                + loadBefore + " -> " + LogBench.load() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores";
        return List.of(
                new Result("broker_loss_failed_requests", done == 0 ? -1 : failed, "count",
                        verdict(done == 0 ? -1 : failed, 0) + "; " + common),
                new Result("broker_loss_agent_downs", done == 0 ? -1 : downs, "count",
                        verdict(done == 0 ? -1 : downs, 0) + "; " + common),
                new Result("broker_loss_beat_stall_ms", stall, "ms", "longest unacknowledged stretch of an agent's"
                        + " beats from a kill to the broker's return, against a " + LEASE_MS + " ms lease; "
                        + stallBefore + " ms in as long a window before the kills; " + common));
    }

    private static String verdict(double v, double max) {
        return v < 0 ? "not measured" : v <= max ? "target <= " + Result.format(max) + " met"
                : "target <= " + Result.format(max) + " MISSED";
    }
}
