package io.shardlb.bench;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/run agent-restart}: an agent restarting with the log stopped programs its forwarder's rules from its
 * local journal. The journal holds 10,000 rules (10,000 one-port Services on 10,000 VIPs across 3 instances, as the
 * planner writes them); the time runs from launching a fresh agent JVM ({@code AgentMain}, proxy forwarder: the one in
 * every build) to its ready line, printed once every journalled rule is programmed (the log, stopped, is never
 * reached before). Target: 2,000 ms. Median of {@value #ROUNDS} restarts of the same journal.
 */
final class AgentRestartBenchmark implements Benchmark {
    private static final int RULES = 10_000;
    private static final int ROUNDS = 3;
    private static final String[] INSTANCES = {"default", "llb-inst1", "llb-inst2"};

    @Override
    public String name() {
        return "agent-restart";
    }

    @Override
    public String description() {
        return "agent restart with the log stopped: 10,000 rules from the local journal into the proxy forwarder";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        Path journal = work.resolve("journal");
        writeJournal(journal);
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                jvm.add(a);
            }
        }
        // The log is stopped: nothing listens on the discard port, so the agent never reaches it.
        List<String> args = List.of("--name", "bench-agent", "--log", "kafka://127.0.0.1:9", "--interface", "lo",
                "--forwarder", "proxy", "--apiHost", "127.0.0.1", "--journal", journal.toString());
        List<Double> times = new ArrayList<>();
        String load = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            ChildJvm agent = ChildJvm.start("io.shardlb.agent.control.AgentMain", args, jvm, "AGENT READY",
                    work.resolve("agent-" + round + ".out"), Duration.ofMinutes(2));
            long t1 = System.nanoTime();
            agent.kill();
            int programmed = Integer.parseInt(agent.readyLine().replaceAll(".*journalRules=(\\d+).*", "$1"));
            if (programmed != RULES) {
                throw new IllegalStateException("journal programmed " + programmed + " rules, expected " + RULES);
            }
            times.add((t1 - t0) / 1e6);
        }
        double median = times.stream().sorted().toList().get(ROUNDS / 2);
        String note = RULES + " rules, fresh agent JVM each time (JVM start included), median of " + ROUNDS
                + " restarts " + times.stream().map(t -> String.format(java.util.Locale.ROOT, "%.0f", t)).toList()
                + " ms; target <= 2000 ms " + (median <= 2000 ? "met" : "missed") + "; load average before: " + load;
        return List.of(new Result("restart_ms", median, "ms", note));
    }

    private static void writeJournal(Path dir) {
        try (ChronicleEventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS)) {
            long offset = 0;
            long time = System.currentTimeMillis();
            for (int i = 0; i < INSTANCES.length; i++) {
                Decision d = new Decision.InstanceMastered(INSTANCES[i], new AgentRef("bench-agent", 1), 1, List.of(),
                        "bench");
                log.appendCopy(entry(offset++, d, time));
            }
            for (int i = 0; i < RULES; i++) {
                String vip = "127.1." + (i / 250) + "." + (i % 250 + 1);
                Decision d = new Decision.RuleSet("default/svc-" + i, vip, List.of(new RulePort(80, "TCP")),
                        "onearm", "hash", 0, List.of(), List.of(new RuleEndpoint(80, "TCP", "127.0.0.1", 8080),
                        new RuleEndpoint(80, "TCP", "127.0.0.2", 8080)), INSTANCES[i % 3]);
                log.appendCopy(entry(offset++, d, time));
            }
        }
    }

    private static LogEntry entry(long offset, Decision d, long time) {
        return new LogEntry(Topic.PLAN, 0, offset, Envelope.decision(d, "planner", offset).withLogTime(time));
    }
}
