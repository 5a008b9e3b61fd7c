package io.shardlb.bench;

import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code log-append}: records/s appended to Kafka by the fenced (transactional) writer in batches of 1,000, 100
 * and 10 plan records, and by the plain (idempotent) writer, against one embedded broker in a child JVM, in the
 * same run; then the Chronicle journal's append (the same batches of 1,000) and read rates. Each phase is bounded
 * in records and in time.
 */
final class LogAppendBenchmark implements Benchmark {
    private static final double TARGET = 50_000;
    private static final long PHASE_NANOS = 15_000_000_000L;
    private static volatile long sink;

    @Override
    public String name() {
        return "log-append";
    }

    @Override
    public String description() {
        return "Kafka append records/s: fenced batches of 1000/100/10 vs the plain writer (embedded broker, child JVM); "
                + "Chronicle journal append and read records/s in the same run";
    }

    @Override
    public List<Result> run(Path work) {
        try (EmbeddedKafkaProcess broker = LogBench.startBroker(work);
             KafkaEventLog log = LogBench.open(broker, "append")) {
            List<Outgoing> pool = LogBench.rules(0, 10_000);
            String loadBefore = LogBench.load();
            try (FencedWriter w = log.fencedWriter("bench-planner", "planner")) {
                w.init();
                fenced(w, pool, 1000, 100_000); // warm-up: JIT on both sides, segments, transaction coordinator
                CpuSplit cpu = CpuSplit.start(broker.pid());
                double b1000 = fenced(w, pool, 1000, 500_000);
                String where = cpu.stop(b1000) + "; JSON encode alone " + fmt(encodeRate(pool)) + " records/s";
                double b100 = fenced(w, pool, 100, 200_000);
                double b10 = fenced(w, pool, 10, 50_000);
                double plain;
                try (PlainWriter p = log.plainWriter("kube-bridge")) {
                    plain(p, 50_000); // warm-up
                    plain = plain(p, 500_000);
                }
                ChronicleLogBench.Rates chronicle = ChronicleLogBench.run(work.resolve("chronicle-append"), pool,
                        500_000);
                String verdict = (b1000 >= TARGET ? "target >= 50000 met" : "target >= 50000 MISSED") + " (" + where + ")";
                String same = loadBefore + " -> " + LogBench.load() + " on " + Runtime.getRuntime().availableProcessors()
                        + " cores; same run, same broker: b1000=" + fmt(b1000) + " b100=" + fmt(b100) + " b10=" + fmt(b10)
                        + " plain=" + fmt(plain) + " chronicle_b1000=" + fmt(chronicle.append())
                        + " chronicle_read=" + fmt(chronicle.read());
                return List.of(
                        new Result("kafka_append_records_per_s", b1000, "records/s",
                                "fenced writer, batches of 1000 RuleSet records (~0.6 KB); " + verdict + "; " + same),
                        new Result("kafka_append_b100_records_per_s", b100, "records/s", "fenced, batches of 100; " + same),
                        new Result("kafka_append_b10_records_per_s", b10, "records/s", "fenced, batches of 10; " + same),
                        new Result("kafka_plain_append_records_per_s", plain, "records/s",
                                "plain idempotent writer, ServiceObserved facts, async then flush; " + same),
                        new Result("chronicle_append_records_per_s", chronicle.append(), "records/s",
                                "Chronicle journal, fenced writer (in-process), batches of 1000 of the same RuleSet "
                                        + "records; " + same),
                        new Result("chronicle_read_records_per_s", chronicle.read(), "records/s",
                                "Chronicle journal reader from the start, " + chronicle.records()
                                        + " records decoded; " + same));
            }
        }
    }

    /** Appends up to {@code max} records in batches of {@code batch}, for at most {@link #PHASE_NANOS}. */
    private static double fenced(FencedWriter w, List<Outgoing> pool, int batch, int max) {
        int done = 0;
        long t0 = System.nanoTime();
        while (done < max && System.nanoTime() - t0 < PHASE_NANOS) {
            int from = done % (pool.size() - batch);
            List<LogPosition> pos = w.append(pool.subList(from, from + batch));
            if (pos.size() != batch) {
                throw new IllegalStateException("batch of " + batch + " acknowledged " + pos.size());
            }
            done += batch;
        }
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    private static double plain(PlainWriter p, int max) {
        List<Outgoing> pool = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            pool.add(LogBench.service(i));
        }
        int done = 0;
        CompletableFuture<LogPosition> last = null;
        long t0 = System.nanoTime();
        while (done < max && System.nanoTime() - t0 < PHASE_NANOS) {
            last = p.append(pool.get(done % pool.size()));
            done++;
        }
        p.flush();
        last.join();
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    /** Records/s of {@code RecordCodec.encode} alone on this thread: the writer's own share of the cost. */
    private static double encodeRate(List<Outgoing> pool) {
        long bytes = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
            bytes += io.shardlb.events.schema.RecordCodec.encode(pool.get(i % pool.size()).envelope()).length;
        }
        double rate = 200_000 / ((System.nanoTime() - t0) / 1e9);
        sink = bytes; // keeps the JIT from dropping the loop
        return rate;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
