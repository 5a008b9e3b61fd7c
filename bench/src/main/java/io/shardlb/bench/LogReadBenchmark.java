package io.shardlb.bench;

import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code log-read}: records/s a fresh read_committed reader gets through the plan topic from the start,
 * decoding every record (what a restarting agent or planner does), against an embedded broker in a child JVM.
 */
final class LogReadBenchmark implements Benchmark {
    private static final int RECORDS = 500_000;
    private static final long MAX_NANOS = 120_000_000_000L;

    @Override
    public String name() {
        return "log-read";
    }

    @Override
    public String description() {
        return "Kafka read records/s: read_committed reader + decode of 500,000 RuleSet records (embedded broker, child JVM)";
    }

    @Override
    public List<Result> run(Path work) {
        try (EmbeddedKafkaProcess broker = LogBench.startBroker(work);
             KafkaEventLog log = LogBench.open(broker, "read")) {
            List<Outgoing> pool = LogBench.rules(0, 10_000);
            try (FencedWriter w = log.fencedWriter("bench-planner", "planner")) {
                w.init();
                for (int done = 0; done < RECORDS; done += 1000) {
                    int from = done % (pool.size() - 1000);
                    w.append(pool.subList(from, from + 1000));
                }
            }
            readAll(log); // warm-up: JIT, page cache
            String loadBefore = LogBench.load();
            long t0 = System.nanoTime();
            long n = readAll(log);
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            return List.of(new Result("kafka_read_records_per_s", rate, "records/s",
                    "fresh reader from offset 0 to the end, " + n + " RuleSet records (~0.6 KB) decoded, second pass; "
                    + loadBefore + " -> " + LogBench.load()));
        }
    }

    private static long readAll(KafkaEventLog log) {
        try (LogReader r = log.reader(Topic.PLAN)) {
            Map<Integer, Long> end = r.endOffsets();
            long n = 0;
            long t0 = System.nanoTime();
            while (!r.hasReached(end)) {
                if (System.nanoTime() - t0 > MAX_NANOS) {
                    throw new IllegalStateException("read did not finish in 120 s: " + n + " records");
                }
                List<LogEntry> got = r.poll(Duration.ofMillis(500));
                n += got.size();
            }
            if (n != RECORDS) {
                throw new IllegalStateException("read " + n + " records, wrote " + RECORDS);
            }
            return n;
        }
    }
}
