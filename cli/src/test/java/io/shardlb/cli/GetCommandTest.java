package io.shardlb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardlb.agent.api.AgentApi;
import io.shardlb.agent.api.AgentStatus;
import io.shardlb.agent.control.PlanTracker;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseView;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Holding;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shardlb get ha|ip|lb} against real agent APIs (undertow) over three agents and three instances. */
class GetCommandTest {
    private static final String[] INSTANCES = {"default", "llb-inst1", "llb-inst2"};
    private final List<AgentApi> apis = new ArrayList<>();

    @AfterEach
    void stop() {
        apis.forEach(AgentApi::close);
    }

    @Test
    void getHaPrintsTheSeedsTableForEachOfThreeAgents() {
        for (int a = 0; a < 3; a++) {
            String url = start(a);
            StringBuilder expected = new StringBuilder("| INSTANCE  | HASTATE |\n|-----------|---------|\n");
            for (int i = 0; i < 3; i++) {
                expected.append(String.format("| %-9s | %-7s |%n", INSTANCES[i], i == a ? "MASTER" : "BACKUP"));
            }
            assertEquals(expected.toString(), run("get", "ha", "--agent", url));
        }
    }

    @Test
    void getHaJsonHasLoxicmdsShape() throws Exception {
        JsonNode root = new ObjectMapper().readTree(run("get", "ha", "--agent", start(1), "-o", "json"));
        assertEquals(Set.of("Attr"), names(root));
        assertEquals(3, root.get("Attr").size());
        for (JsonNode n : root.get("Attr")) {
            assertEquals(Set.of("instance", "state", "sync", "vip"), names(n));
        }
        assertEquals("MASTER", root.get("Attr").get(1).get("state").asText());
        assertEquals("llb-inst1", root.get("Attr").get(1).get("instance").asText());
    }

    @Test
    void getIpListsClaimedVipsAsHostRoutes() {
        String out = run("get", "ip", "--agent", start(0));
        assertEquals("| DEVICE NAME | IP ADDRESS      |\n|-------------|-----------------|\n"
                + "| eth0        | 127.0.80.250/32 |\n", out);
    }

    @Test
    void getLbNamesRulesLikeLoxilbAndWideListsEndpoints() {
        String url = start(0);
        String out = run("get", "lb", "--agent", url);
        assertTrue(out.startsWith("| EXT IP       | PORT | PROTO | NAME                     | MARK | SEL  | MODE    "
                + "| # OF ENDPOINTS | TIMEOUT | MONITOR |\n"), out);
        assertTrue(out.contains("| 127.0.80.251 | 80   | tcp   | default_tcp-lb:llb-inst1 | 0    | hash | onearm  "
                + "| 2              | 0       | Off     |"), out);
        String wide = run("get", "lb", "--agent", url, "-o", "wide");
        assertEquals(2 + 4, wide.lines().count(), wide);
        assertTrue(wide.contains("| 10.0.0.2 "), wide);
    }

    @Test
    void aBadOutputFormatIsAUsageError() {
        assertEquals(2, Main.run("get", "ha", "--agent", start(0), "-o", "yaml"));
        // loopback has no Ethernet address: the AF_XDP datapath refuses it before touching the kernel
        assertEquals(2, Main.run("agent", "--log", "kafka://127.0.0.1:1", "--name", "a", "--interface", "lo",
                "--forwarder", "xdp"));
        assertEquals(2, Main.run("agent", "--log", "kafka://127.0.0.1:1", "--name", "a", "--interface", "nosuch0",
                "--forwarder", "xdp"));
        assertEquals(2, Main.run("agent", "--log", "kafka://127.0.0.1:1", "--name", "a", "--interface", "lo",
                "--apiHost", "0.0.0.0", "--forwarder", "proxy"));
        assertEquals(2, Main.run("agent", "--log", "kafka://127.0.0.1:1", "--name", "a", "--interface", "lo",
                "--bogus", "1"));
    }

    private String start(int agent) {
        AgentApi api = AgentApi.start("127.0.0.1", 0, new FakeAgent(agent));
        apis.add(api);
        return "http://127.0.0.1:" + api.port();
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new ShardlbCommand());
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute(args);
        assertEquals(0, code, "exit code of " + String.join(" ", args) + ": " + out);
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    /** Agent {@code index} of three: master of instance {@code index}, backup of the others; two Services each. */
    private record FakeAgent(int index) implements AgentStatus {
        @Override
        public String name() {
            return "agent-" + index;
        }

        @Override
        public String iface() {
            return "eth0";
        }

        @Override
        public AgentRef self() {
            return new AgentRef(name(), 7);
        }

        @Override
        public LeaseView lease() {
            return new LeaseView(LeasePhase.VALID, System.nanoTime() + 400_000_000L,
                    List.of(new Holding(INSTANCES[index], 3)));
        }

        @Override
        public Set<InetAddress> claimed() {
            try {
                return Set.of(InetAddress.getByName("127.0.80." + (250 + index)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, Decision.RuleSet> rules() {
            List<RuleEndpoint> eps = List.of(new RuleEndpoint(80, "TCP", "10.0.0.1", 8080),
                    new RuleEndpoint(80, "TCP", "10.0.0.2", 8080));
            return Map.of(
                    "default/web", new Decision.RuleSet("default/web", "127.0.80.250", List.of(new RulePort(80, "TCP"),
                            new RulePort(443, "TCP")), "onearm", "hash", 0, List.of(), eps, "default"),
                    "default/tcp-lb", new Decision.RuleSet("default/tcp-lb", "127.0.80.251",
                            List.of(new RulePort(80, "TCP")), "onearm", "hash", 0, List.of(), eps, "llb-inst1"),
                    "default/udp", new Decision.RuleSet("default/udp", "127.0.80.252",
                            List.of(new RulePort(53, "UDP")), "fullnat", "rr", 30, List.of(), List.of(), "llb-inst2"));
        }

        @Override
        public Map<String, PlanTracker.Term> terms() {
            return Map.of(INSTANCES[0], term(0), INSTANCES[1], term(1), INSTANCES[2], term(2));
        }

        private PlanTracker.Term term(int i) {
            return new PlanTracker.Term(new AgentRef("agent-" + i, 7), 3, List.of(), null);
        }

        @Override
        public Optional<RuleCounters> counters(String ruleId) {
            return Optional.of(new RuleCounters(10, 1000, 1));
        }

        @Override
        public Map<DropKind, Long> drops() {
            return Map.of(DropKind.NO_RULE, 2L);
        }

        @Override
        public long unreadable() {
            return 0;
        }

        @Override
        public String firstUnreadable() {
            return "";
        }

        @Override
        public long claimFailures() {
            return 0;
        }

        @Override
        public boolean caughtUp() {
            return true;
        }

        @Override
        public boolean draining() {
            return false;
        }
    }
}
