package io.shardlb.e2e.scenario;

import io.shardlb.e2e.system.ShardlbSystem;

import java.time.Duration;

/**
 * An agent cut off from Kafka: its traffic to the broker dropped where it runs (iptables in its namespace) for a
 * while, then let through again. Its lease cannot be renewed, so it must stop answering by the deadline while
 * another agent takes its instance; it then rejoins as a new incarnation. Safety (never two answerers) is judged
 * by the stage's monitor over the whole run.
 *
 * @param agent          the master that was cut off
 * @param vip            the VIP of the Service it mastered
 * @param failedRequests new-connection requests that failed across all VIPs from the cut until all answered again
 * @param takeoverMs     from the cut to the first successful request through the VIP started after it went quiet
 *                       (the lease deadline plus the takeover)
 * @param longestGapMs   the longest no-answerer gap of that VIP at the monitor
 */
public record CutOff(String agent, String vip, long failedRequests, double takeoverMs, double longestGapMs) {

    /** Cuts the master of {@code service} off for {@code cut}, lets it back, waits until it masters its share. */
    public static CutOff run(Stage stage, String service, Duration cut) throws InterruptedException {
        stage.awaitBalanced();
        ShardlbSystem sys = stage.system();
        String master = sys.status(service, "master");
        String vip = stage.vips().get(service);
        long from = System.nanoTime();
        sys.cutOff(master, true);
        try {
            Thread.sleep(cut.toMillis()); // the cut itself: how long the agent stays away from Kafka
        } finally {
            sys.cutOff(master, false);
        }
        long restored = System.nanoTime();
        // the first success after a failure in the cut window is the takeover; none failed: no gap at all
        var failures = stage.probe().between(from, restored, a -> !a.ok() && a.vip().equals(vip)
                && a.kind() == io.shardlb.e2e.probe.Attempt.Kind.NEW_CONNECTION);
        double takeover = 0;
        if (!failures.isEmpty()) {
            long firstFail = failures.stream().mapToLong(io.shardlb.e2e.probe.Attempt::atNanos).min().getAsLong();
            var ok = stage.probe().firstOkAfter(vip, firstFail);
            takeover = ok.isPresent() ? (ok.getAsLong() - from) / 1e6 : -1;
        }
        stage.awaitBalanced();
        stage.awaitAllAnswer(System.nanoTime(), Stage.WAIT);
        long to = System.nanoTime();
        return new CutOff(master, vip, stage.failedRequests(from, to), takeover,
                Gaps.longestMs(stage.monitor(), vip, from, to));
    }
}
