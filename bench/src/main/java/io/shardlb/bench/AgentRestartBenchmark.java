package io.shardlb.bench;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run agent-restart}: an agent restarting with the log stopped programs its forwarder's rules from its
 * local journal. The journal holds 10,000 rules (10,000 one-port Services on 10,000 VIPs across 3 instances, as the
 * planner writes them); the time runs from launching a fresh agent JVM ({@code AgentMain}, proxy forwarder: the one in
 * every build) to its ready line, printed once every journalled rule is programmed (the log, stopped, is never
 * reached before). Target: 2,000 ms. Median of {@value #ROUNDS} restarts of the same journal, launched as the image
 * launches the agent (jars and the AOT cache trained at image build), with restarts without the cache as the peer.
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
                "--forwarder", "proxy", "--apiHost", "127.0.0.1", "--journal", journal.toString(),
                "--drainTimeout", "1s");
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        // As the image ships it: the agent's jars, and an AOT cache (JDK 25) trained by one start, as its
        // Dockerfile does (an AOT cache takes jars only, not class directories).
        Path aot = work.resolve("agent.aot");
        AgentLaunch.train(jvm, args, aot, work.resolve("train.out"));
        List<String> cached = new ArrayList<>(jvm);
        cached.add("-XX:AOTCache=" + aot);
        List<Double> plain = new ArrayList<>();
        List<Double> withCache = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            plain.add(restart(jvm, args, work.resolve("plain-" + round + ".out")));
            withCache.add(restart(cached, args, work.resolve("aot-" + round + ".out")));
        }
        double median = median(withCache);
        double plainMedian = median(plain);
        String common = RULES + " rules, fresh agent JVM each time (JVM start included), median of " + ROUNDS
                + " restarts; load average before: " + load;
        return List.of(
                new Result("restart_ms", median, "ms", "with the image's AOT cache, " + common + " " + ms(withCache)
                        + "; target <= 2000 ms " + (median <= 2000 ? "met" : "missed")),
                new Result("restart_noaot_ms", plainMedian, "ms", "peer in the same run: no AOT cache, " + common
                        + " " + ms(plain)));
    }

    private static double restart(List<String> jvm, List<String> args, Path out) throws Exception {
        AgentLaunch agent = AgentLaunch.start(jvm, args, out);
        try {
            int programmed = Integer.parseInt(agent.readyLine().replaceAll(".*journalRules=(\\d+).*", "$1"));
            if (programmed != RULES) {
                throw new IllegalStateException("journal programmed " + programmed + " rules, expected " + RULES);
            }
            return agent.readyMillis();
        } finally {
            agent.kill();
        }
    }

    private static double median(List<Double> times) {
        return times.stream().sorted().toList().get(times.size() / 2);
    }

    private static String ms(List<Double> times) {
        return times.stream().map(t -> String.format(Locale.ROOT, "%.0f", t)).toList() + " ms";
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
