package io.shardlb.events.log;

import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.chronicle.ChronicleMidAppendMain;
import io.shardlb.events.chronicle.ChronicleOptions;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract suite on the Chronicle journal. Fencing here is between writers of one process (a journal has a
 * single writing process by construction: a second one is refused); atomic batches hold because one append is
 * one excerpt. The killed-writer case becomes the journal's own: a writer killed inside an append leaves a
 * queue whose complete records all read back, and a new writer continues it.
 */
class ChronicleEventLogContractTest extends EventLogContract {
    /** Chronicle Queue needs these opens on JDK 17+ (see DEVELOPERS.md). */
    private static final List<String> CHRONICLE_JVM = java.util.stream.Stream.concat(
            EmbeddedKafkaProcess.QUICK_START_JVM.stream(), java.util.stream.Stream.of(
                    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                    "-Dchronicle.announcer.disable=true")).toList();

    @TempDir
    static Path root;

    @Override
    protected EventLog open(String name, int heartbeatPartitions) {
        return new ChronicleEventLog(root.resolve(name + "-" + System.nanoTime()),
                new ChronicleOptions(ChronicleOptions.DEFAULTS.rollCycle(), 0, heartbeatPartitions));
    }

    @Override
    protected boolean supportsFencing() {
        return true;
    }

    @Override
    protected void appendRaw(EventLog log, Topic topic, byte[] value) {
        ChronicleEventLog c = (ChronicleEventLog) log;
        c.appendCopy(topic, 0, c.endOffsets(topic).get(0), System.currentTimeMillis(), value);
    }

    @Override
    protected KilledWriter startWriterMidBatch(EventLog log, String transactionalId, String tag, int committed,
                                               int open) {
        throw new UnsupportedOperationException("the journal's killed-writer case is its own test below");
    }

    @Override
    protected boolean hasOpenBatch(EventLog log, Topic topic) {
        throw new UnsupportedOperationException("not used by the journal's killed-writer case");
    }

    @Override
    @Test
    void aWriterKilledInsideABatchStallsOnlyItsTopicUntilASuccessorStarts() {
        Path dir = root.resolve("killed-" + System.nanoTime());
        Path out;
        try {
            Files.createDirectories(dir);
            out = Files.createTempFile("mid-append", ".out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm child = ChildJvm.start(ChronicleMidAppendMain.class.getName(), List.of(dir.toString(), "dead", "10"),
                CHRONICLE_JVM, "OPEN", out, WAIT);
        child.kill();
        try (EventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
             LogReader plan = log.reader(Topic.PLAN); LogReader events = log.reader(Topic.EVENTS)) {
            List<String> committed = LogReads.readFor(plan, Duration.ofSeconds(2)).stream()
                    .map(e -> e.envelope().id()).toList();
            assertEquals(SampleRecords.rules("dead", 0, 10).stream().map(o -> o.envelope().id()).toList(), committed,
                    "every complete record, nothing of the torn append");
            long t0 = System.nanoTime();
            try (PlainWriter facts = log.plainWriter("kube-bridge");
                 FencedWriter successor = log.fencedWriter("planner", "planner-2")) {
                for (int i = 0; i < 10; i++) {
                    facts.append(SampleRecords.fact("fact", i)).join();
                }
                successor.init();
                successor.append(SampleRecords.rules("next", 0, 3));
            }
            assertEquals(10, LogReads.readCount(events, 10, WAIT).size());
            List<String> after = LogReads.readCount(plan, 3, WAIT).stream().map(e -> e.envelope().id()).toList();
            assertEquals(List.of("next-0", "next-1", "next-2"), after);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(WAIT) < 0, "a new writer continued the journal: took " + took);
        }
    }

    @Test
    void aSecondProcessTailsWhileTheFirstAppends() throws Exception {
        Path dir = root.resolve("tail-" + System.nanoTime());
        Path ids = root.resolve("tail-ids-" + System.nanoTime());
        int n = 2_000;
        try (EventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
             PlainWriter w = log.plainWriter("kube-bridge")) {
            w.append(SampleRecords.fact("first", 0)).join();
            ChildJvm tail = ChildJvm.start(io.shardlb.events.chronicle.ChronicleTailMain.class.getName(),
                    List.of(dir.toString(), Integer.toString(n), ids.toString()), CHRONICLE_JVM, "TAILING",
                    Files.createTempFile("tail", ".out"), WAIT);
            for (int i = 1; i < n; i++) {
                w.append(SampleRecords.fact("fact", i)).join();
            }
            assertTrue(tail.waitFor(WAIT), "the tailing process finished");
        }
        List<String> lines = Files.readAllLines(ids);
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i + " " + (i == 0 ? "first-0" : "fact-" + i), lines.get(i));
        }
    }
}
