package io.shardlb.e2e.scenario;

import io.shardlb.e2e.probe.Attempt;
import io.shardlb.e2e.system.Await;
import io.shardlb.e2e.system.ShardlbSystem;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The scenarios of issue 14, each acting on a {@link Stage} and returning what the judges measured. They assert
 * nothing about targets (tests and the benchmark do); they only fail when the system never gets back to serving.
 */
public final class Scenarios {
    /** Pools for every scenario: the seed's stand-in on loopback, and a large pool for bulk Services. */
    public static final String POOLS = io.shardlb.e2e.system.Loopback.POOLS;

    private Scenarios() {
    }

    /** What the seed showed: each Service's VIP, instance and master. */
    public record Seed(Map<String, String> vips, Map<String, String> instances, Map<String, String> masters) {
    }

    /** The seed step by step: three Services (one per instance), each answered, one master per agent. */
    public static Seed seed(Stage stage) {
        long from = System.nanoTime();
        for (var s : Stage.SEED.entrySet()) {
            stage.serve(s.getKey(), s.getValue());
        }
        stage.awaitAllAnswer(from, Stage.WAIT);
        Map<String, String> masters = stage.awaitBalanced();
        ShardlbSystem sys = stage.system();
        Map<String, String> instances = new java.util.LinkedHashMap<>();
        for (String name : Stage.SEED.keySet()) {
            instances.put(name, sys.status(name, "instance"));
        }
        return new Seed(stage.vips(), instances, masters);
    }

    /**
     * One failover: kill -9 of the master of {@code service}; ms from the kill to the start of the first request
     * through its VIP that succeeded among those started after the process was gone. Then the agent returns
     * ({@link Handover} measured on that return).
     */
    public record Failover(String service, String killed, double failoverMs, Handover back) {
    }

    /** A return or a drain: failed new-connection requests across all VIPs, and the longest no-owner gap. */
    public record Handover(long failedRequests, long longLivedFailures, double longestGapMs) {
    }

    /** kill -9 of the master of {@code service}, then its return. */
    public static Failover killMaster(Stage stage, String service) {
        stage.awaitBalanced();
        ShardlbSystem sys = stage.system();
        String master = sys.status(service, "master");
        String vip = stage.vips().get(service);
        long kill = System.nanoTime();
        sys.killAgent(master);
        long gone = System.nanoTime();
        Await.until(vip + " answers after the kill", Stage.WAIT,
                () -> stage.probe().firstOkAfter(vip, gone).isPresent());
        double ms = (stage.probe().firstOkAfter(vip, gone).getAsLong() - kill) / 1e6;
        return new Failover(service, master, ms, returnAgent(stage, master));
    }

    /** Starts {@code agent} again and waits until it masters its share; what the probe saw meanwhile. */
    public static Handover returnAgent(Stage stage, String agent) {
        long from = System.nanoTime();
        stage.system().startAgent(agent);
        stage.awaitBalanced();
        stage.awaitAllAnswer(System.nanoTime(), Stage.WAIT);
        return observed(stage, from, System.nanoTime());
    }

    /** SIGTERM of the master of {@code service}: it drains, hands over and exits. */
    public static Handover drain(Stage stage, String service, String[] drained) {
        stage.awaitBalanced();
        ShardlbSystem sys = stage.system();
        String master = sys.status(service, "master");
        drained[0] = master;
        long from = System.nanoTime();
        if (!sys.terminateAgent(master, Stage.WAIT)) {
            throw new AssertionError(master + " did not exit after SIGTERM within " + Stage.WAIT);
        }
        stage.awaitBalanced();
        stage.awaitAllAnswer(System.nanoTime(), Stage.WAIT);
        return observed(stage, from, System.nanoTime());
    }

    private static Handover observed(Stage stage, long from, long to) {
        long longLived = stage.probe().between(from, to, a -> !a.ok() && a.kind() == Attempt.Kind.LONG_LIVED).size();
        double gap = 0;
        for (String vip : stage.vips().values()) {
            gap = Math.max(gap, Gaps.longestMs(stage.monitor(), vip, from, to));
        }
        return new Handover(stage.failedRequests(from, to), longLived, gap);
    }

    /**
     * Service create → VIP answers, {@code n} times, in ms: each Service takes the next address of the bulk pool
     * (none is released meanwhile), so the probe watches that address before the Service exists. Needs a bulk pool
     * untouched so far.
     */
    public static List<Double> create(Stage stage, int n, String namePrefix) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = namePrefix + i;
            String vip = nth(stage.system().datapath().bulkFirst(), i);
            stage.watch(name, vip);
            long t0 = System.nanoTime();
            stage.system().createService(name, Map.of("loxilb.io/poolSelect", "bulk", "loxilb.io/lbmode", "onearm"));
            Await.until(name + " answers on " + vip, Stage.WAIT,
                    () -> stage.probe().firstOkAfter(vip, t0).isPresent());
            ms.add((stage.probe().firstOkAfter(vip, t0).getAsLong() - t0) / 1e6);
            String shown = stage.system().vip(name);
            if (shown != null && !shown.equals(vip)) {
                throw new AssertionError(name + " shows " + shown + " but " + vip + " answered");
            }
            stage.unprobe(name); // keep the probe's load flat: a few VIPs at 200 exchanges/s each
        }
        return ms;
    }

    /** The i-th address after {@code first}. */
    static String nth(String first, int i) {
        try {
            byte[] b = InetAddress.getByName(first).getAddress();
            int v = ((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)) + i;
            return (v >>> 24) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(first, e);
        }
    }

    /** What users saw of a broker outage, and how long every VIP took to answer again once it was back. */
    public record Outage(long failedDuring, double recoveryMs, boolean controllerRestarted) {
    }

    /**
     * The broker stopped (kill -9) for {@code down}, then started again on its data: leases cannot be renewed, so
     * VIPs are released by design; recovery is from the broker's return to every probed VIP answering. A controller
     * that exits meanwhile is started again by the system's supervisor, as its Deployment would.
     */
    public static Outage kafkaOutage(Stage stage, Duration down) throws InterruptedException {
        stage.awaitBalanced();
        ShardlbSystem sys = stage.system();
        long stop = System.nanoTime();
        sys.stopBroker();
        Thread.sleep(down.toMillis()); // the outage itself: how long the broker stays away
        sys.restartBroker();
        long back = System.nanoTime();
        long failed = stage.failedRequests(stop, back);
        int restartsBefore = sys.controllerRestarts();
        stage.awaitAllAnswer(back, Stage.WAIT);
        boolean restarted = sys.controllerRestarts() != restartsBefore;
        double recovery = 0;
        for (String vip : stage.vips().values()) {
            OptionalLong ok = stage.probe().firstOkAfter(vip, back);
            recovery = Math.max(recovery, (ok.getAsLong() - back) / 1e6);
        }
        return new Outage(failed, recovery, restarted);
    }


    /** What the churn did: Services created, deleted, and controllers killed. */
    public record Churn(int created, int deleted, int kills) {
    }

    /**
     * The controller killed (-9) at random points during Service churn: each round creates two Services, deletes
     * one of an earlier round, and kills the controller after a random 0–1.5 s (its Deployment starts a new one).
     * Afterwards every live Service must be served: a VIP in its status that answers.
     */
    public static Churn controllerChurn(Stage stage, int rounds, long seed) throws InterruptedException {
        java.util.Random rnd = new java.util.Random(seed);
        ShardlbSystem sys = stage.system();
        List<String> live = new ArrayList<>();
        int deleted = 0;
        for (int r = 0; r < rounds; r++) {
            for (String n : List.of("churn-" + r + "-a", "churn-" + r + "-b")) {
                sys.createService(n, Map.of("loxilb.io/poolSelect", "bulk"));
                live.add(n);
            }
            if (live.size() > 2) {
                String gone = live.remove(rnd.nextInt(live.size() - 2));
                sys.deleteService(gone);
                deleted++;
            }
            Thread.sleep(rnd.nextInt(1500)); // the random point at which the controller dies
            sys.killController();
        }
        sys.awaitLeader(Stage.WAIT);
        long from = System.nanoTime();
        for (String n : live) {
            Await.until(n + " gets a VIP after the churn", Stage.WAIT, ShardlbSystem.API_POLL,
                    () -> sys.vip(n) != null);
            stage.watch(n, sys.vip(n));
        }
        stage.awaitAllAnswer(from, Stage.WAIT);
        return new Churn(2 * rounds, deleted, rounds);
    }
}
