package io.shardlb.e2e.scenario;

import io.shardlb.e2e.probe.Attempt;
import io.shardlb.e2e.system.Await;
import io.shardlb.e2e.system.LogRecords;
import io.shardlb.e2e.system.ShardlbSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One broker of a KRaft cluster killed (-9) while every agent serves, then started again: what users saw through the
 * VIPs, whether the arbiter declared anyone down, and how long the agents' beats went unacknowledged (their
 * first append anywhere, by log time). Needs a {@link Stage} on a cluster ({@code brokers > 1}).
 *
 * @param killed            the node killed
 * @param layoutBefore      the topics' layout when it was killed (who led what)
 * @param failedRequests    new-connection requests through any VIP that failed from the kill to the end
 * @param longLivedFailures long-lived exchanges that failed meanwhile
 * @param agentDowns        AgentDown facts logged from the kill to the end (their JSON bodies)
 * @param mastersBefore     each Service's master just before the kill
 * @param mastersAfter      each Service's master at the end
 * @param beatStall         the longest time an agent's beats went unacknowledged around the kill, and before it
 * @param restartMs         how long the killed node took to serve again
 * @param baseline          the same figures for an equally long window just before the kill: what the machine's
 *                          load alone does (a loaded 2-core machine lapses 400 ms leases with no broker killed)
 */
public record BrokerLoss(int killed, String layoutBefore, long failedRequests, long longLivedFailures,
                         List<String> agentDowns, Map<String, String> mastersBefore, Map<String, String> mastersAfter,
                         BeatStall beatStall, double restartMs, Baseline baseline) {

    /**
     * Failed requests and AgentDown facts in a window as long as the loss, ending at the kill.
     *
     * @param windowMs       the window's length
     * @param failedRequests new-connection requests that failed in it
     * @param agentDowns     AgentDown facts logged in it
     */
    public record Baseline(long windowMs, long failedRequests, long agentDowns) {
    }

    /** How long the killed node stays down: well past fencing (the session timeout) and the new leaders. */
    public static final Duration DOWN = Duration.ofSeconds(15);
    /** Decisions the arbiter could make only once the node is back are in the log by this long after. */
    private static final long SETTLED_AFTER_RETURN_MS = 5_000;

    /** Kills the worst broker to lose (see {@link TopicLayout#worstToLose}), waits {@link #DOWN}, starts it again. */
    public static BrokerLoss run(Stage stage) throws InterruptedException {
        ShardlbSystem sys = stage.system();
        stage.awaitBalanced();
        TopicLayout layout = settledLayout(sys);
        int victim = layout.worstToLose(sys.brokers().nodes());
        Map<String, String> before = stage.masters();
        long killWall = System.currentTimeMillis();
        long kill = System.nanoTime();
        sys.brokers().kill(victim);
        Thread.sleep(DOWN.toMillis()); // the loss itself: how long the node stays away
        long restart = System.nanoTime();
        sys.brokers().restart(victim);
        long back = System.nanoTime();
        long backWall = System.currentTimeMillis();
        awaitTickAfter(sys, backWall + SETTLED_AFTER_RETURN_MS);
        long end = System.nanoTime();
        long failed = stage.failedRequests(kill, end);
        long longLived = stage.probe().between(kill, end, a -> !a.ok() && a.kind() == Attempt.Kind.LONG_LIVED).size();
        long endWall = System.currentTimeMillis();
        long window = endWall - killWall;
        List<LogRecords.Entry> events = sys.dump("events");
        List<String> downs = events.stream().filter(e -> e.type().equals("AgentDown") && e.logTime() >= killWall)
                .map(e -> e.body().toString()).toList();
        Baseline baseline = new Baseline(window, stage.failedRequests(kill - (end - kill), kill), events.stream()
                .filter(e -> e.type().equals("AgentDown") && e.logTime() >= killWall - window
                        && e.logTime() < killWall).count());
        BeatStall stall = BeatStall.around(sys.dump("heartbeats"), killWall, backWall);
        return new BrokerLoss(victim, layout.toString(), failed, longLived, downs, before, stage.masters(), stall,
                (back - restart) / 1e6, baseline);
    }

    /** The layout once every partition is led and fully in sync (a loaded machine fences brokers for moments). */
    private static TopicLayout settledLayout(ShardlbSystem sys) {
        TopicLayout[] seen = new TopicLayout[1];
        Await.until("every partition led and fully in sync", Stage.WAIT, Duration.ofMillis(500), () -> {
            seen[0] = TopicLayout.read(sys.brokers().bootstrap(), sys.topicPrefix());
            return seen[0].settled();
        });
        return seen[0];
    }

    /**
     * Waits for the arbiter to log a Tick after {@code wallMs}: it decides in log order, so every AgentDown it
     * would derive from the beats (or their absence) up to then is in the log before that Tick.
     */
    private static void awaitTickAfter(ShardlbSystem sys, long wallMs) {
        Await.until("a Tick logged after the broker's return", Stage.WAIT, Duration.ofSeconds(2),
                () -> sys.dump("events").stream().anyMatch(e -> e.type().equals("Tick") && e.logTime() > wallMs));
    }

    /**
     * The longest gap between consecutive acknowledged beats of any one agent incarnation (a beat's time is its
     * first append, on whichever partition), in a window as long as the outage before the kill and from the kill
     * to the return.
     *
     * @param beforeMs    longest gap before the kill (what the machine's load alone does)
     * @param duringMs    longest gap from the kill to the return
     * @param duringAgent the incarnation that had it
     */
    public record BeatStall(double beforeMs, double duringMs, String duringAgent) {
        static BeatStall around(List<LogRecords.Entry> beats, long killWall, long backWall) {
            long span = backWall - killWall;
            Gap before = Gap.longest(beats, killWall - span, killWall);
            Gap during = Gap.longest(beats, killWall, backWall);
            return new BeatStall(before.ms(), during.ms(), during.agent());
        }
    }
}
