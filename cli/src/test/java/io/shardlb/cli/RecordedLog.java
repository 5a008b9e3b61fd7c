package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.stage.LogSnapshotStore;
import io.shardlb.planner.stage.PlannerStage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Test driver: records facts on a log, runs the planner stage over them, and runs cli commands. */
final class RecordedLog {
    static final String SERVICE = "default/tcp-lb";

    private RecordedLog() {
    }

    /** The facts of a small day: three agents, a few Services (one pinned), endpoints, an agent down and back. */
    static List<Fact> day() {
        List<Fact> out = new ArrayList<>();
        out.add(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.0/24")), List.of(), true, 3,
                "llb", false, "default", "", "", 0L, 5_000L, false));
        for (String a : List.of("agent-a", "agent-b", "agent-c")) {
            out.add(new Fact.AgentUp(a, 1, "198.18.0." + (a.charAt(6) - 'a' + 1)));
        }
        TreeMap<String, String> pinned = new TreeMap<>();
        pinned.put("loxilb.io/zoneinstance", "llb-inst1");
        out.add(service(SERVICE, pinned, 57002));
        out.add(service("default/web", new TreeMap<>(), 80));
        out.add(service("team-b/api", new TreeMap<>(), 443));
        out.add(new Fact.EndpointsObserved(SERVICE, List.of(new Endpoint("10.0.0.1", 8080, "", "TCP", true, "n1"),
                new Endpoint("10.0.0.2", 8080, "", "TCP", true, "n2"))));
        for (String a : List.of("agent-a", "agent-b", "agent-c")) {
            out.add(new Fact.AgentDown(a, 1, "missed beats", 0L));
            out.add(new Fact.Tick());
            out.add(new Fact.AgentUp(a, 2, "198.18.0." + (a.charAt(6) - 'a' + 1)));
        }
        out.add(new Fact.ServiceGone("team-b/api", "uid-team-b/api"));
        return out;
    }

    /** Writes {@link #day} to {@code log} and lets a planner stage answer every fact. */
    static void record(EventLog log) {
        LogPosition last = null;
        try (PlainWriter bridge = log.plainWriter("kube-bridge")) {
            for (Fact f : day()) {
                last = bridge.append(Outgoing.to(Topic.EVENTS, Envelope.of(f, "kube-bridge"))).join();
            }
        }
        try (PlannerStage stage = new PlannerStage(log, new LogSnapshotStore(log),
                new PlannerStage.Options(5, Duration.ofMillis(100)))) {
            stage.activate();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stage.answered() < last.offset()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the planner did not answer through " + last);
                }
                stage.doWork();
            }
            awaitCommitted(log, stage.lastAppended());
        }
    }

    private static void awaitCommitted(EventLog log, List<LogPosition> appended) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (LogPosition p : appended) {
            while (log.endOffsets(p.topic()).getOrDefault(p.partition(), 0L) <= p.offset()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(p + " not committed in time");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static Fact service(String name, TreeMap<String, String> annotations, int port) {
        return new Fact.ServiceObserved(name, "uid-" + name, "1", "loxilb.io/loxilb",
                List.of(new ServicePort("", port, "TCP", "", 0)), List.of(), "", "", List.of(), "", annotations,
                List.of());
    }

    /** What a cli run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@code shardlb args} through {@link Main#run}, capturing stdout and stderr. */
    static synchronized Run cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            System.out.flush();
            System.err.flush();
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
