package io.shardlb.planner.stage;

import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random but plausible facts for the stage tests: Services created, re-pinned, given endpoints and deleted; agents
 * up, down, draining and returning with new incarnations; ticks. Seeded, so a failure can be rerun.
 */
final class FactFeed {
    private static final String[] PINS = {"", "", "", "default", "llb-inst1", "llb-inst2"};
    private static final String[] AGENTS = {"agent-a", "agent-b", "agent-c", "agent-d"};
    private final Random random;
    private final long[] incarnation = new long[AGENTS.length];
    private final boolean[] up = new boolean[AGENTS.length];
    private int uid;

    FactFeed(long seed) {
        random = new Random(seed);
    }

    /** The opening facts: configuration (3 instances, unique IPs) and three agents up. */
    List<Fact> opening() {
        List<Fact> out = new ArrayList<>();
        out.add(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.0/24")), List.of(), true, 3, "llb",
                false, "default", "", "", 0L, 5_000L, false));
        for (int i = 0; i < 3; i++) {
            out.add(agentUp(i));
        }
        return out;
    }

    /** The next random fact. */
    Fact next() {
        int r = random.nextInt(100);
        String service = "default/svc-" + random.nextInt(30);
        if (r < 35) {
            return service(service, PINS[random.nextInt(PINS.length)]);
        } else if (r < 60) {
            return endpoints(service, random.nextInt(4));
        } else if (r < 70) {
            return new Fact.ServiceGone(service, "uid-" + service);
        } else if (r < 80) {
            return new Fact.Tick();
        }
        int a = random.nextInt(AGENTS.length);
        if (!up[a]) {
            return agentUp(a);
        }
        if (r < 92) {
            up[a] = false;
            return new Fact.AgentDown(AGENTS[a], incarnation[a], "missed beats", 0L);
        }
        return new Fact.AgentDraining(AGENTS[a], incarnation[a]);
    }

    private Fact agentUp(int a) {
        up[a] = true;
        incarnation[a]++;
        return new Fact.AgentUp(AGENTS[a], incarnation[a], "198.18.0." + (a + 1));
    }

    private Fact service(String name, String pin) {
        TreeMap<String, String> annotations = new TreeMap<>();
        if (!pin.isEmpty()) {
            annotations.put("loxilb.io/zoneinstance", pin);
        }
        List<ServicePort> ports = List.of(new ServicePort("", 8000 + random.nextInt(3), "TCP", "", 0));
        return new Fact.ServiceObserved(name, "uid-" + name, Integer.toString(++uid), "loxilb.io/loxilb", ports,
                List.of(), "", "", List.of(), "", annotations, List.of());
    }

    private static Fact endpoints(String service, int count) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            eps.add(new Endpoint("10.0.0." + (i + 1), 8080, "", "TCP", true, "node-" + i));
        }
        return new Fact.EndpointsObserved(service, eps);
    }
}
