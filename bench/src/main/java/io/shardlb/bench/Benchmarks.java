package io.shardlb.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every benchmark, by name. Add yours here (one line). */
final class Benchmarks {
    private Benchmarks() {
    }

    static Map<String, Benchmark> all() {
        Map<String, Benchmark> byName = new LinkedHashMap<>();
        for (Benchmark b : List.<Benchmark>of(
                // one entry per benchmark
                new ReplayBench(),
                new IpamBenchmark(),
                new LogAppendBenchmark(),
                new LogReadBenchmark(),
                new EngineBenchmark(),
                new ProxyBenchmark(),
                new PlannerBenchmark(),
                new FailoverDetectBenchmark(),
                new DatapathBenchmark(),
                new AgentRestartBenchmark(),
                new E2eBenchmark(),
                new E2eBrokersBenchmark()
        )) {
            byName.put(b.name(), b);
        }
        return byName;
    }
}
