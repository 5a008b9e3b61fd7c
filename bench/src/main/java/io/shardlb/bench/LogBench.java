package io.shardlb.bench;

import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared by the log benchmarks: a broker in a child JVM and realistic records. */
final class LogBench {
    /** The broker gets the full JIT (not the quick-start flags tests use): it is what is measured. */
    private static final List<String> BROKER_JVM = List.of("-Xmx1g", "--sun-misc-unsafe-memory-access=allow");

    private LogBench() {
    }

    /** The 1-minute load average now: other work on the machine skews every figure, so notes carry it. */
    static String load() {
        try {
            return "load " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "load ?";
        }
    }

    static EmbeddedKafkaProcess startBroker(Path work) {
        return EmbeddedKafkaProcess.start(work.resolve("kafka"), List.of(), BROKER_JVM, Duration.ofSeconds(120));
    }

    static KafkaEventLog open(EmbeddedKafkaProcess broker, String name) {
        return new KafkaEventLog(broker.bootstrap(), LogOptions.defaults().withTopicPrefix("bench-" + name + ".")
                .withClientProperties(Map.of()));
    }

    /** A full rule for a service with two ports and three endpoints, as the planner writes them (~0.6 KB). */
    static Outgoing rule(int i) {
        int a = i % 250;
        Decision d = new Decision.RuleSet("team-" + (i % 40) + "/svc-" + i, "198.18." + (80 + i / 250 % 100) + "." + a,
                List.of(new RulePort(80, "TCP"), new RulePort(443, "TCP")), "onearm", "hash", 0,
                List.of("0.0.0.0/0"),
                List.of(new RuleEndpoint(80, "TCP", "10.1." + a + ".11", 8080),
                        new RuleEndpoint(80, "TCP", "10.1." + a + ".12", 8080),
                        new RuleEndpoint(443, "TCP", "10.1." + a + ".13", 8443)),
                "llb-inst" + (i % 3));
        return Outgoing.to(Topic.PLAN, Envelope.decision(d, "planner", i));
    }

    /** A Service as kube-bridge observes it (~0.5 KB). */
    static Outgoing service(int i) {
        Fact f = new Fact.ServiceObserved("team-" + (i % 40) + "/svc-" + i, "uid-" + i, Integer.toString(1000 + i),
                "loxilb.io/loxilb", List.of(new ServicePort("http", 80, "TCP", "8080", 30080 + i % 1000)),
                List.of("IPv4"), "SingleStack", "", List.of(), "Cluster",
                new TreeMap<>(Map.of("loxilb.io/lbmode", "onearm", "loxilb.io/zoneinstance", "llb-inst" + (i % 3))),
                List.of());
        return Outgoing.to(Topic.EVENTS, Envelope.of(f, "kube-bridge"));
    }

    static List<Outgoing> rules(int from, int n) {
        List<Outgoing> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(rule(i));
        }
        return out;
    }
}
