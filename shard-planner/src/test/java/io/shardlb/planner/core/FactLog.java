package io.shardlb.planner.core;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test driver: numbers facts as {@code events} would (offset, log time 100 ms apart), runs the planner on each and
 * records the plan as the stage writes it (each decision stamped with the offset of the fact it answers).
 */
final class FactLog {
    final List<LogEntry> events = new ArrayList<>();
    final List<LogEntry> plan = new ArrayList<>();
    PlannerImage image = PlannerImage.EMPTY;
    long now = 1_700_000_000_000L;
    List<Decision> last = List.of();

    List<Decision> add(Fact fact) {
        now += 100;
        LogEntry e = entry(Topic.EVENTS, events.size(), Envelope.of(fact, "test"), now);
        events.add(e);
        Step step = Planner.step(image, e);
        image = step.next();
        for (Decision d : step.decisions()) {
            plan.add(entry(Topic.PLAN, plan.size(), Envelope.decision(d, "planner", e.offset()), now + 5));
        }
        last = step.decisions();
        return last;
    }

    static LogEntry entry(Topic topic, long offset, Envelope env, long logTime) {
        return new LogEntry(topic, 0, offset, env.withLogTime(logTime));
    }

    static Fact.ConfigObserved config(int instances, boolean unique, String pool) {
        return new Fact.ConfigObserved(List.of(new Pool("defaultPool", pool)), List.of(), unique, instances, "llb",
                false, "default", "", "", 0L, 5_000L, false);
    }

    static Fact.ServiceObserved service(String name, Map<String, String> annotations, int... ports) {
        List<ServicePort> sp = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            sp.add(new ServicePort(ports.length == 1 ? "" : "p" + i, ports[i], "TCP", "", 0));
        }
        return new Fact.ServiceObserved(name, "uid-" + name, "1", "loxilb.io/loxilb", sp, List.of(), "", "",
                List.of(), "", new TreeMap<>(annotations), List.of());
    }

    static Fact.EndpointsObserved endpoints(String service, int count, int port) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            eps.add(new Endpoint("10.0.0." + (i + 1), port, "", "TCP", true, "node-" + i));
        }
        return new Fact.EndpointsObserved(service, eps);
    }
}
