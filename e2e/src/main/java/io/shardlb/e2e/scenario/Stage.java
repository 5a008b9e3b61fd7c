package io.shardlb.e2e.scenario;

import io.shardlb.e2e.probe.Answerers;
import io.shardlb.e2e.probe.Attempt;
import io.shardlb.e2e.probe.Probe;
import io.shardlb.e2e.system.Await;
import io.shardlb.e2e.system.Datapath;
import io.shardlb.e2e.system.ShardlbSystem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running system with its judges attached: the probe and the answerer monitor on every Service's VIP. Scenarios
 * act on the system and read the judges; they never ask a component what it did.
 */
public final class Stage implements AutoCloseable {
    /** How long any wait may take on a loaded 2-core machine before it is a failure. */
    public static final Duration WAIT = Duration.ofSeconds(180);
    /** The seed's three Services: in creation order (tcp-lb gets .250, tcp-lb2 .251 on llb-inst2, as the guide shows). */
    public static final Map<String, Map<String, String>> SEED = seed();

    private final ShardlbSystem system;
    private final Probe probe;
    private final Answerers monitor;
    private final Map<String, String> vips = new LinkedHashMap<>();

    private Stage(ShardlbSystem system, Duration maxRun) {
        this.system = system;
        this.probe = system.datapath().probe(ShardlbSystem.PORT, maxRun);
        this.monitor = system.datapath().monitor(ShardlbSystem.PORT, maxRun);
    }

    private static Map<String, Map<String, String>> seed() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("tcp-lb", Map.of("loxilb.io/lbmode", "onearm"));
        m.put("tcp-lb2", Map.of("loxilb.io/lbmode", "onearm", "loxilb.io/zoneinstance", "llb-inst2"));
        // not in the seed guide: it gives the third instance a VIP, so every master is seen from outside
        m.put("tcp-lb1", Map.of("loxilb.io/lbmode", "onearm", "loxilb.io/zoneinstance", "llb-inst1"));
        return m;
    }

    /**
     * Starts the system (three agents, pools {@code pools}), the probe and the monitor, all bounded by
     * {@code maxRun}.
     */
    public static Stage start(Path work, String pools, Duration maxRun) {
        return start(work, pools, maxRun, 1);
    }

    /** As {@link #start(Path, String, Duration)} on {@code brokers} Kafka nodes. */
    public static Stage start(Path work, String pools, Duration maxRun, int brokers) {
        ShardlbSystem s = ShardlbSystem.start(work, new ShardlbSystem.Settings(pools, 3,
                List.of("agent-a", "agent-b", "agent-c")), brokers);
        return new Stage(s, maxRun);
    }

    /**
     * Starts the system on {@code datapath} (its pools, three agents), the probe and the monitor at the datapath's
     * vantage points, all bounded by {@code maxRun}. The stage closes the datapath with the system.
     */
    public static Stage start(Path work, Duration maxRun, Datapath datapath) {
        ShardlbSystem s = ShardlbSystem.start(work, new ShardlbSystem.Settings(datapath.pools(), 3,
                List.of("agent-a", "agent-b", "agent-c")), datapath);
        return new Stage(s, maxRun);
    }

    public ShardlbSystem system() {
        return system;
    }

    public Probe probe() {
        return probe;
    }

    public Answerers monitor() {
        return monitor;
    }

    /** Creates a Service and, once its VIP shows in its status, puts the VIP under the probe and the monitor. */
    public String serve(String name, Map<String, String> annotations) {
        system.createService(name, annotations);
        Await.until(name + " gets a VIP", WAIT, ShardlbSystem.API_POLL, () -> system.vip(name) != null);
        String vip = system.vip(name);
        watch(name, vip);
        return vip;
    }

    /** Puts {@code vip} (of Service {@code name}) under the probe and the monitor. */
    public void watch(String name, String vip) {
        vips.put(name, vip);
        monitor.add(vip);
        probe.add(vip);
    }

    /** Stops probing Service {@code name}'s VIP (the monitor keeps watching it). */
    public void unprobe(String name) {
        String vip = vips.remove(name);
        if (vip != null) {
            probe.remove(vip);
        }
    }

    /** The probed Services and their VIPs. */
    public Map<String, String> vips() {
        return Map.copyOf(vips);
    }

    /** Waits until every probed VIP answers a new connection started after {@code fromNanos}. */
    public void awaitAllAnswer(long fromNanos, Duration timeout) {
        for (String vip : vips.values()) {
            Await.until(vip + " answers", timeout, () -> probe.firstOkAfter(vip, fromNanos).isPresent());
        }
    }

    /** The master each seed Service's status names now (null where none). */
    public Map<String, String> masters() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : vips.keySet()) {
            m.put(name, system.status(name, "master"));
        }
        return m;
    }

    /**
     * Waits until the seed Services are mastered by as many distinct agents as run (one instance each); returns the
     * masters as seen at that moment (under load a lease may lapse right after, so a later read can differ).
     */
    public Map<String, String> awaitBalanced() {
        Map<String, String> seen = new LinkedHashMap<>();
        Await.until("one instance mastered per agent", WAIT, ShardlbSystem.API_POLL, () -> {
            List<String> masters = new ArrayList<>();
            seen.clear();
            for (String name : SEED.keySet()) {
                String m = system.status(name, "master");
                masters.add(m);
                seen.put(name, m);
            }
            return !masters.contains(null) && masters.stream().distinct().count()
                    == Math.min(SEED.size(), system.runningAgents().size())
                    && system.runningAgents().containsAll(masters);
        });
        return Map.copyOf(seen);
    }

    /** New-connection requests that failed among those started in [from, to). */
    public long failedRequests(long fromNanos, long toNanos) {
        return probe.between(fromNanos, toNanos, a -> !a.ok() && a.kind() == Attempt.Kind.NEW_CONNECTION).size();
    }

    /** The split-brain instants the monitor recorded so far (must stay empty). */
    public List<Answerers.Round> splitBrainInstants() {
        return monitor.splitBrainInstants();
    }

    @Override
    public void close() {
        probe.close();
        monitor.close();
        system.close();
    }
}
