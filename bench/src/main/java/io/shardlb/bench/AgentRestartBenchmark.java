package io.shardlb.bench;

import io.shardlb.agent.control.Agent;
import io.shardlb.agent.control.AgentConfig;
import io.shardlb.agent.control.ForwarderKind;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/run agent-restart}: an agent restarting with the log stopped programs its forwarder's rules from its
 * local journal. The journal holds 10,000 rules (10,000 one-port Services on 10,000 VIPs across 3 instances, as the
 * planner writes them); the time runs from before the forwarder starts to the moment every rule is programmed (the
 * agent's start returns once the journal is applied; the log is never reached). Target: 2,000 ms. Median of
 * {@value #ROUNDS} restarts of the same journal, each with a fresh ProxyForwarder (the forwarder available in every
 * build).
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
        List<Double> times = new ArrayList<>();
        int programmed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            AgentConfig config = new AgentConfig("bench-agent", "kafka://127.0.0.1:9", "shardlb.", "lo",
                    ForwarderKind.PROXY, "127.0.0.1", 0, journal, Duration.ofSeconds(1), LeaseSettings.DEFAULTS);
            long t0 = System.nanoTime();
            Forwarder forwarder = ProxyForwarder.start(ProxyConfig.defaults());
            try (Agent agent = Agent.start(config, forwarder, () -> {
                throw new LogException("log stopped (benchmark)");
            })) {
                long t1 = System.nanoTime();
                programmed = agent.journalRules();
                if (programmed != RULES || forwarder.counters("default/svc-" + (RULES - 1) + "/80/tcp").isEmpty()) {
                    throw new IllegalStateException("journal programmed " + programmed + " rules, expected " + RULES);
                }
                times.add((t1 - t0) / 1e6);
            }
        }
        double median = times.stream().sorted().toList().get(ROUNDS / 2);
        String note = programmed + " rules, median of " + ROUNDS + " restarts " + times + " ms; target <= 2000 ms "
                + (median <= 2000 ? "met" : "missed");
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
