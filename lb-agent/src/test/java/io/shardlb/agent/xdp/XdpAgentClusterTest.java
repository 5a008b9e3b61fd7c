package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.control.PlanTracker;
import io.shardlb.agent.control.RealPlanner;
import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real agents (child processes, XDP forwarder) in their own namespaces of the XDP test segment, the embedded
 * broker (reached through a relay inside each agent namespace), the real arbiter and the real planner stage; judged
 * from outside by the ARP monitor: each VIP is answered by the master of its instance only; after {@code kill -9} of
 * a master another agent answers and the killed one never again; an agent whose traffic to the broker is dropped in
 * its namespace stops answering by its lease deadline while another takes over; no VIP ever has two answerers.
 */
class XdpAgentClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Longer than the defaults: beats of JVMs starting on a loaded 2-core machine must not lapse every lease. */
    private static final LeaseSettings SETTINGS = new LeaseSettings(200, 1500, 500);
    private static final long LEASE = Duration.ofMillis(SETTINGS.leaseMs()).toNanos();
    /** Scheduling slack between the kernel's decision and our timestamp of arping's output line. */
    private static final long SLACK = Duration.ofMillis(300).toNanos();
    /** Answers a monitor must record after a takeover before "never again" is judged (about 2 s at 10 ms). */
    private static final int AFTER = 200;
    private static final int PORT = 8080;
    private static final String[] INSTANCES = {"default", "llb-inst1", "llb-inst2"};
    private static final String[] SERVICES = {"default/tcp-lb", "default/svc-1", "default/svc-2"};
    private static final String[] KEYS = {"agt1", "agt2", "agt3"};
    private static XdpTopology topo;

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, NetnsAgent> agents = new HashMap<>();
    private final Map<String, String> macs = new HashMap<>();
    private final List<ArpMonitor> monitors = new ArrayList<>();
    private RealPlanner planner;

    @BeforeAll
    static void topology() {
        topo = XdpTestBed.get();
        if (!java.nio.file.Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
            String reason = "iptables missing (apt-get install iptables): it cuts an agent off from the broker";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("CI=true and " + reason);
            }
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
    }

    @AfterAll
    static void teardown() {
        XdpTestBed.destroy();
    }

    @AfterEach
    void stop() throws Exception {
        for (NetnsAgent a : agents.values()) {
            a.close();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        for (String key : KEYS) {
            Netns.tryRun("ip", "netns", "exec", XdpTopology.PREFIX + key, "iptables", "-F");
        }
    }

    @Test
    void vipsFollowTheirMastersThroughKillAndCutOff() throws Exception {
        KafkaEventLog log = KafkaFixture.open("xdp-agents");
        closing.add(log);
        String bootstrap = log.bootstrap();
        assertTrue(bootstrap.startsWith("127.0.0.1:"), "the relays need the embedded broker: " + bootstrap);
        int brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        ArbiterService arbiter = new ArbiterService(log, SETTINGS, System::nanoTime, "arbiter",
                (f, p, t) -> { });
        closing.add(arbiter);
        arbiter.setActive(true);
        arbiter.start("arbiter");
        planner = new RealPlanner(log);
        closing.add(planner);
        planService(planner);
        for (String key : KEYS) {
            closing.add(new BrokerRelay(topo.ns(key), brokerPort));
        }
        for (String key : KEYS) {
            String name = "agent-" + key;
            macs.put(name, topo.mac(key).toString().toLowerCase(java.util.Locale.ROOT));
            agents.put(name, NetnsAgent.start(key, name, "kafka://" + bootstrap, log.options().topicPrefix(),
                    SETTINGS, dir.resolve(name), Path.of("target", "xdp-agent-cluster", name + ".out"), WAIT));
        }
        await(() -> IntStream.range(0, 3).mapToObj(this::masterOf).filter(m -> m != null).distinct().count() == 3,
                "each agent masters one instance");
        for (int i = 0; i < 3; i++) {
            int n = i;
            await(() -> vipOf(n) != null, SERVICES[i] + " has a VIP");
            ArpMonitor m = new ArpMonitor(Addresses.parse(vipOf(i)));
            monitors.add(m);
            closing.add(m);
        }
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(i);
        }

        // kill -9 the master of instance 0: another agent answers, the killed one never again
        String killed = masterOf(0);
        agents.get(killed).kill9();
        long killedAt = System.nanoTime();
        await(() -> masterOf(0) != null && !killed.equals(masterOf(0)), "a new master of " + INSTANCES[0]);
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(i);
        }

        // cut the master of instance 1 off the broker in its namespace: it stops by its lease deadline
        String cut = masterOf(1);
        String key = agents.get(cut).key;
        Netns ns = topo.ns(key);
        ns.exec("iptables", "-I", "OUTPUT", "-o", "lo", "-p", "tcp", "--dport", Integer.toString(brokerPort),
                "-j", "DROP");
        ns.exec("iptables", "-I", "INPUT", "-i", "lo", "-p", "tcp", "--sport", Integer.toString(brokerPort),
                "-j", "DROP");
        long cutAt = System.nanoTime();
        await(() -> masterOf(1) != null && !cut.equals(masterOf(1)), "a new master of " + INSTANCES[1]);
        for (int i = 0; i < 3; i++) {
            awaitAnsweredByMaster(i);
        }
        long observed = System.nanoTime();
        for (ArpMonitor m : monitors) {
            int base = m.answers().size();
            await(() -> m.answers().size() >= base + AFTER, "the monitor keeps recording answers");
        }

        long end = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            ArpMonitor m = monitors.get(i);
            assertEquals(0, m.count(macs.get(killed), killedAt + LEASE + SLACK, end),
                    "the killed " + killed + " answered for " + vipOf(i) + " after its lease deadline");
            assertEquals(0, m.count(macs.get(cut), cutAt + LEASE + SLACK, end),
                    "the cut-off " + cut + " answered for " + vipOf(i) + " after its lease deadline");
            assertTrue(m.count(macs.get(masterOf(i)), observed, end) > 0, vipOf(i) + " answered by its master");
            assertOneAnswererAtATime(i, m.answers());
        }
    }

    /** Two answerers at once would interleave their MACs in one monitor's stream; a takeover switches once. */
    private void assertOneAnswererAtATime(int i, List<ArpMonitor.Answer> answers) {
        List<String> runs = new ArrayList<>();
        for (ArpMonitor.Answer a : answers) {
            if (runs.isEmpty() || !runs.getLast().equals(a.mac())) {
                runs.add(a.mac());
            }
        }
        Set<String> distinct = new HashSet<>(runs);
        assertEquals(distinct.size(), runs.size(), vipOf(i) + " answered by interleaved MACs " + runs + " (" + macs
                + ")");
    }

    private void planService(RealPlanner p) {
        p.observe(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.0.100/24")), List.of(), true, 3,
                "llb", false, "default", "", "", 0L, 5_000L, false));
        for (int i = 0; i < 3; i++) {
            p.observe(new Fact.ServiceObserved(SERVICES[i], "uid-" + i, "1", "loxilb.io/loxilb",
                    List.of(new ServicePort("", PORT, "TCP", "", 0)), List.of(), "", "", List.of(), "",
                    new TreeMap<>(Map.of("loxilb.io/zoneinstance", INSTANCES[i], "loxilb.io/lbmode", "onearm")),
                    List.of()));
            p.observe(new Fact.EndpointsObserved(SERVICES[i], List.of(new Endpoint(
                    XdpTopology.address("be1").getHostAddress(), PORT, "", "TCP", true, "node-1"))));
        }
    }

    /** The VIP of Service i is answered by the MAC of the agent the plan names master of its instance. */
    private void awaitAnsweredByMaster(int i) throws InterruptedException {
        long from = System.nanoTime();
        ArpMonitor m = monitors.get(i);
        await(() -> {
            String master = masterOf(i);
            return master != null && agents.get(master) != null
                    && m.count(macs.get(master), from, System.nanoTime()) > 0;
        }, vipOf(i) + " answered by the master of " + INSTANCES[i]);
    }

    private String masterOf(int i) {
        PlanTracker.Term t = planner.term(INSTANCES[i]);
        return t == null || t.master() == null ? null : t.master().agent();
    }

    private String vipOf(int i) {
        Decision.RuleSet r = planner.rule(SERVICES[i]);
        return r == null ? null : r.vip();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
