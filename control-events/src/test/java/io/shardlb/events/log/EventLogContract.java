package io.shardlb.events.log;

import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every {@link EventLog} backend must do, run against a real one. A backend extends this, opens logs in
 * {@link #open}, and either supports fencing (transactions) or returns {@code false} from
 * {@link #supportsFencing} to skip those cases. Writer-killed cases are in {@link FencingContract}.
 */
public abstract class EventLogContract extends FencingContract {

    @Test
    void plainAppendsComeBackInOrderWithTheLogsTime() {
        try (EventLog log = open("plain"); PlainWriter w = log.plainWriter("kube-bridge"); LogReader r = log.reader(Topic.EVENTS)) {
            List<LogPosition> acked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acked.add(w.append(SampleRecords.fact("f", i)).join());
            }
            List<LogEntry> read = LogReads.readCount(r, 20, WAIT);
            for (int i = 0; i < 20; i++) {
                LogEntry e = read.get(i);
                assertEquals("f-" + i, e.envelope().id());
                assertEquals("kube-bridge", e.envelope().writer(), "the writer id fills an empty writer field");
                assertEquals(acked.get(i).offset(), e.offset());
                assertEquals(acked.get(i).logTime(), e.logTime(), "log time is the log's, as acknowledged");
                assertTrue(e.logTime() > 0);
            }
        }
    }

    @Test
    void hundredThousandRecordsAreReadBackInOrder() {
        int n = 100_000;
        try (EventLog log = open("many"); PlainWriter w = log.plainWriter("kube-bridge"); LogReader r = log.reader(Topic.EVENTS)) {
            CompletableFuture<LogPosition> last = null;
            for (int i = 0; i < n; i++) {
                last = w.append(SampleRecords.fact("m", i));
            }
            w.flush();
            last.join();
            int next = 0;
            long lastOffset = -1;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (next < n && System.nanoTime() < deadline) {
                for (LogEntry e : r.poll(POLL)) {
                    assertEquals("m-" + next, e.envelope().id(), "record " + next + " out of order at " + e.position());
                    assertTrue(e.offset() > lastOffset);
                    lastOffset = e.offset();
                    next++;
                }
            }
            assertEquals(n, next, "records read back");
        }
    }

    @Test
    void aReaderRestartsFromAStoredPosition() {
        try (EventLog log = open("restart"); PlainWriter w = log.plainWriter("kube-bridge")) {
            for (int i = 0; i < 50; i++) {
                w.append(SampleRecords.fact("r", i));
            }
            w.flush();
            Map<Integer, Long> stored;
            try (LogReader r = log.reader(Topic.EVENTS)) {
                List<LogEntry> first = LogReads.readAtLeast(r, 30, WAIT);
                assertEquals("r-29", first.get(29).envelope().id());
                // stored position: the offset after the last record processed
                stored = Map.of(0, first.get(29).offset() + 1);
            }
            for (int i = 50; i < 80; i++) {
                w.append(SampleRecords.fact("r", i));
            }
            w.flush();
            try (LogReader r = log.reader(Topic.EVENTS)) {
                stored.forEach(r::seek);
                assertEquals(stored, r.positions());
                List<LogEntry> rest = LogReads.readToEnd(r, WAIT);
                assertEquals(50, rest.size());
                for (int i = 0; i < 50; i++) {
                    assertEquals("r-" + (30 + i), rest.get(i).envelope().id());
                }
            }
        }
    }

    @Test
    void aMultiPartitionHeartbeatsTopicIsReadToItsEndOffsets() {
        try (EventLog log = open("beats", 3); PlainWriter w = log.plainWriter("agents")) {
            int partitions = log.partitions(Topic.HEARTBEATS);
            assertEquals(3, partitions);
            List<CompletableFuture<LogPosition>> acks = new ArrayList<>();
            for (int seq = 1; seq <= 50; seq++) {
                for (String agent : List.of("agent-a", "agent-b", "agent-c")) {
                    List<CompletableFuture<LogPosition>> perPartition = BeatFanout.send(w, partitions,
                            SampleRecords.beat(agent, seq));
                    assertEquals(partitions, perPartition.size());
                    acks.add(BeatFanout.firstAck(perPartition));
                    acks.addAll(perPartition);
                }
            }
            acks.forEach(CompletableFuture::join);
            try (LogReader r = log.reader(Topic.HEARTBEATS)) {
                Map<Integer, Long> end = r.endOffsets();
                assertEquals(log.endOffsets(Topic.HEARTBEATS), end);
                List<LogEntry> read = LogReads.readUntil(r, end, WAIT);
                assertEquals(50 * 3 * partitions, read.size());
                Map<String, Long> lastSeq = new HashMap<>();
                for (LogEntry e : read) {
                    Heartbeat hb = e.envelope().payload(Heartbeat.class);
                    String k = e.partition() + "/" + hb.agent();
                    assertEquals(lastSeq.getOrDefault(k, 0L) + 1, hb.seq(), "beats of one agent keep their order per partition");
                    lastSeq.put(k, hb.seq());
                }
                assertEquals(3 * partitions, lastSeq.size());
                assertTrue(r.hasReached(end));
            }
        }
    }

    @Test
    void seekToEndReadsOnlyWhatComesAfter() {
        try (EventLog log = open("tail"); PlainWriter w = log.plainWriter("kube-bridge")) {
            w.append(SampleRecords.fact("old", 0)).join();
            try (LogReader r = log.reader(Topic.EVENTS)) {
                r.seekToEnd();
                w.append(SampleRecords.fact("new", 1)).join();
                List<LogEntry> read = LogReads.readCount(r, 1, WAIT);
                assertEquals("new-1", read.getFirst().envelope().id());
            }
        }
    }

    @Test
    void anUnknownTypeOrNewerVersionIsASchemaExceptionNeverASkip() {
        String unknown = "{\"v\":1,\"type\":\"ServiceTeleported\",\"id\":\"x\",\"writer\":\"future\",\"body\":{}}";
        String newer = "{\"v\":" + (Envelope.CURRENT_VERSION + 1) + ",\"type\":\"AgentUp\",\"id\":\"y\",\"writer\":\"future\","
                + "\"body\":{\"agent\":\"a\",\"incarnation\":1,\"address\":\"198.18.0.2\"}}";
        try (EventLog log = open("schema"); PlainWriter w = log.plainWriter("kube-bridge")) {
            w.append(SampleRecords.fact("ok", 0)).join();
            appendRaw(log, Topic.EVENTS, unknown.getBytes(StandardCharsets.UTF_8));
            appendRaw(log, Topic.EVENTS, newer.getBytes(StandardCharsets.UTF_8));
            try (LogReader r = log.reader(Topic.EVENTS)) {
                List<LogEntry> before = LogReads.readAtLeast(r, 1, WAIT);
                assertEquals(1, before.size(), "the good record comes first, alone");
                assertEquals("ok-0", before.getFirst().envelope().id());
                SchemaException e1 = assertThrows(SchemaException.class, () -> LogReads.readCount(r, 1, WAIT));
                assertEquals("ServiceTeleported", e1.type());
                assertEquals(1, e1.version());
                assertEquals("events/0@1", e1.position());
                // not skipped: the same record stops the reader again
                SchemaException again = assertThrows(SchemaException.class, () -> r.poll(POLL));
                assertEquals(e1.position(), again.position());
                assertEquals(Map.of(0, 1L), r.positions());
                r.seek(0, 2);
                SchemaException e2 = assertThrows(SchemaException.class, () -> LogReads.readCount(r, 1, WAIT));
                assertEquals("AgentUp", e2.type());
                assertEquals(Envelope.CURRENT_VERSION + 1, e2.version());
                assertEquals("events/0@2", e2.position());
            }
        }
    }

    @Test
    void aFencedBatchIsVisibleWholeAcrossTopics() {
        assumeTrue(supportsFencing(), "backend has no fenced writer");
        try (EventLog log = open("batch"); FencedWriter w = log.fencedWriter("planner", "planner")) {
            w.init();
            List<Outgoing> batch = new ArrayList<>(SampleRecords.rules("b", 0, 5));
            batch.add(new Outgoing(Topic.SNAPSHOTS, 0, "planner/0", Envelope.of(
                    new io.shardlb.events.schema.SnapshotChunk("planner", "s1", 4, 0, 1, "e30="), "")));
            List<LogPosition> pos = w.append(batch);
            assertEquals(6, pos.size());
            assertEquals(Topic.SNAPSHOTS, pos.get(5).topic());
            LogReads.awaitCommitted(log, pos, WAIT);
            try (LogReader plan = log.reader(Topic.PLAN); LogReader snaps = log.reader(Topic.SNAPSHOTS)) {
                List<LogEntry> p = LogReads.readToEnd(plan, WAIT);
                assertEquals(5, p.size());
                assertEquals("planner", p.getFirst().envelope().writer());
                assertEquals(0, p.getFirst().envelope().basedOn());
                assertEquals(1, LogReads.readToEnd(snaps, WAIT).size());
            }
        }
    }

    @Test
    void readersNeverSeeHalfABatch() throws Exception {
        assumeTrue(supportsFencing(), "backend has no fenced writer");
        int batches = 20;
        int size = 500;
        try (EventLog log = open("atomic"); FencedWriter w = log.fencedWriter("planner", "planner");
             LogReader r = log.reader(Topic.PLAN)) {
            w.init();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int b = 0; b < batches; b++) {
                        w.append(SampleRecords.rules("a", b * size, size));
                    }
                } catch (Throwable t) {
                    writerError.set(t);
                }
            });
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (read < batches * size && System.nanoTime() < deadline) {
                Map<Integer, Long> end = r.endOffsets();
                List<LogEntry> got = r.poll(POLL);
                for (LogEntry e : got) {
                    assertEquals("a-" + read, e.envelope().id());
                    read++;
                }
                if (got.isEmpty() && r.hasReached(end)) {
                    // caught up with everything committed: only whole batches can be there
                    assertEquals(0, read % size, "a reader at the committed end saw half a batch: " + read);
                }
            }
            writer.join(Duration.ofMinutes(1).toMillis());
            if (writerError.get() != null) {
                fail("writer failed", writerError.get());
            }
            assertEquals(batches * size, read);
            assertEquals(r.endOffsets(), r.positions());
        }
    }

    @Test
    void aZombieWriterIsFencedAndNothingOfItIsVisible() {
        assumeTrue(supportsFencing(), "backend has no fenced writer");
        try (EventLog log = open("zombie"); FencedWriter old = log.fencedWriter("planner", "planner-1")) {
            old.init();
            old.append(SampleRecords.rules("old", 0, 3));
            try (FencedWriter successor = log.fencedWriter("planner", "planner-2")) {
                successor.init();
                FencedException fenced = assertThrows(FencedException.class,
                        () -> old.append(SampleRecords.rules("zombie", 0, 3)));
                assertTrue(fenced.getMessage().contains("planner-1"), fenced.getMessage());
                assertThrows(FencedException.class, () -> old.append(SampleRecords.rules("zombie", 3, 1)),
                        "a fenced writer stays fenced");
                LogReads.awaitCommitted(log, successor.append(SampleRecords.rules("new", 0, 2)), WAIT);
            }
            try (LogReader r = log.reader(Topic.PLAN)) {
                List<String> ids = LogReads.readToEnd(r, WAIT).stream().map(e -> e.envelope().id()).toList();
                assertEquals(List.of("old-0", "old-1", "old-2", "new-0", "new-1"), ids);
            }
        }
    }
}
