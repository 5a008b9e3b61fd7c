package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shardlb local}: shardlb on this machine with no cluster and no root. For now it starts the embedded
 * Kafka broker (a child JVM, data kept under {@code .shardlb/local/}), records the seed scenario's facts
 * (configuration, the two Services and their endpoints), runs the real planner stage over them and prints the
 * facts and the decisions; it then keeps the log up for {@code shardlb log …} and {@code shardlb replay …} in
 * another terminal until Ctrl-C.
 */
@Command(name = "local", description = "Run shardlb on this machine: embedded Kafka, no cluster, no root.")
final class LocalCommand implements Runnable {
    static final Path HOME = Path.of(".shardlb", "local");

    @Option(names = "--exit", description = "stop after printing, instead of waiting for Ctrl-C")
    boolean exitAfterPrint;

    @Override
    public void run() {
        PrintStream out = System.out;
        try {
            Files.createDirectories(HOME);
        } catch (IOException e) {
            throw new UserError("cannot create " + HOME + ": " + e.getMessage());
        }
        try (FileChannel lockFile = FileChannel.open(HOME.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new UserError("a local shardlb is already running in this directory (" + HOME.resolve("lock")
                        + " is held); stop it with Ctrl-C first");
            }
            runLocked(out);
        } catch (IOException e) {
            throw new UserError("cannot lock " + HOME.resolve("lock") + ": " + e.getMessage());
        }
    }

    private void runLocked(PrintStream out) {
        out.println("[1/4] starting the embedded Kafka broker (data in " + HOME.resolve("kafka") + ") …");
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.start(HOME.resolve("kafka").toAbsolutePath())) {
            String uri = "kafka://" + kafka.bootstrap();
            writeLogUri(uri);
            out.println("      log at " + uri);
            try (EventLog log = EventLogs.open(uri)) {
                out.println("[2/4] recording the seed scenario's facts …");
                long first = log.endOffsets(Topic.EVENTS).getOrDefault(0, 0L);
                try (PlainWriter w = log.plainWriter("local")) {
                    for (Fact f : seedFacts()) {
                        w.append(Outgoing.to(Topic.EVENTS, Envelope.of(f, "local"))).join();
                    }
                }
                out.println("[3/4] the log now holds:");
                print(log, Topic.EVENTS, first, out);
                out.println("[4/4] the planner decides (one fenced transaction per batch of facts):");
                long firstDecision = log.endOffsets(Topic.PLAN).getOrDefault(0, 0L);
                plan(log);
                print(log, Topic.PLAN, firstDecision, out);
            }
            out.println();
            out.println("Try, in another terminal:  bin/shardlb log dump --topic events");
            if (exitAfterPrint) {
                return;
            }
            out.println("Ctrl-C stops the broker (its data stays in " + HOME + ").");
            awaitShutdown(kafka);
        } finally {
            try {
                Files.deleteIfExists(LogArgs.LOCAL_LOG_URI);
            } catch (IOException ignored) {
                // a stale file only points at a stopped broker; the next start rewrites it
            }
        }
    }

    /** Runs the real planner stage until it has answered every fact in the log, then stands it down. */
    private static void plan(EventLog log) {
        long facts = log.endOffsets(Topic.EVENTS).getOrDefault(0, 0L);
        try (PlannerStage stage = new PlannerStage(log, new LogSnapshotStore(log), PlannerStage.Options.DEFAULTS)) {
            stage.activate();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stage.image().provenance().nextOffset() < facts && System.nanoTime() < deadline) {
                stage.doWork();
            }
            // a committed batch is readable once its commit markers are written, a moment after the append
            List<io.shardlb.events.log.LogPosition> last = stage.lastAppended();
            long until = last.isEmpty() ? 0 : last.stream().filter(p -> p.topic() == Topic.PLAN)
                    .mapToLong(p -> p.offset() + 1).max().orElse(0);
            while (log.endOffsets(Topic.PLAN).getOrDefault(0, 0L) < until && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    private static void print(EventLog log, Topic topic, long from, PrintStream out) {
        try (LogReader r = log.reader(topic)) {
            Map<Integer, Long> end = r.endOffsets();
            r.seek(0, from);
            List<LogEntry> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!LogCommand.reachedAll(r.positions(), end) && System.nanoTime() < deadline) {
                seen.addAll(r.poll(Duration.ofMillis(200)));
            }
            seen.forEach(e -> out.println("      " + RecordPrinter.line(e)));
        }
    }

    private static void awaitShutdown(EmbeddedKafkaProcess kafka) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                Files.deleteIfExists(LogArgs.LOCAL_LOG_URI);
            } catch (IOException ignored) {
                // the next start rewrites it
            }
            stop.countDown();
        }, "local-shutdown"));
        while (kafka.isAlive()) {
            try {
                if (stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the embedded Kafka broker exited unexpectedly (see "
                + HOME.resolve("kafka").resolve("kafka.out") + ")");
    }

    private static void writeLogUri(String uri) {
        try {
            Files.writeString(LogArgs.LOCAL_LOG_URI, uri + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + LogArgs.LOCAL_LOG_URI + ": " + e.getMessage());
        }
    }

    /** The seed guide's objects as the controller would observe them (loopback pool for a local run). */
    static List<Fact> seedFacts() {
        return List.of(
                new Fact.ConfigObserved(List.of(new Pool("defaultPool", "127.0.80.250/24")), List.of(), true, 3,
                        "llb", false, "default", "default", "hash", 30_000, 2_000, false),
                service("default/tcp-lb", Map.of("loxilb.io/lbmode", "onearm")),
                service("default/tcp-lb2", Map.of("loxilb.io/lbmode", "onearm",
                        "loxilb.io/zoneinstance", "llb-inst2")),
                new Fact.EndpointsObserved("default/tcp-lb",
                        List.of(new Endpoint("127.0.1.1", 8080, "", "TCP", true, "local"))),
                new Fact.EndpointsObserved("default/tcp-lb2",
                        List.of(new Endpoint("127.0.1.2", 8080, "", "TCP", true, "local"))));
    }

    private static Fact.ServiceObserved service(String name, Map<String, String> annotations) {
        return new Fact.ServiceObserved(name, "", "", "loxilb.io/loxilb",
                List.of(new ServicePort("", 57002, "TCP", "80", 0)), List.of("IPv4"), "SingleStack", "", List.of(),
                "Cluster", new TreeMap<>(annotations), List.of());
    }
}
