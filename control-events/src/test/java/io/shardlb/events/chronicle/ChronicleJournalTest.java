package io.shardlb.events.chronicle;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chronicle-specific behaviour: format marker, copies keeping positions, reopen keeps offsets. */
class ChronicleJournalTest {
    @TempDir
    Path dir;

    @Test
    void aJournalFromANewerFormatIsRefusedNotMisread() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JournalFormat.FILE), "format=2\n");
        LogException e = assertThrows(LogException.class, () -> new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    }

    @Test
    void reopeningContinuesOffsetsAndKeepsRecords() {
        try (ChronicleEventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
             PlainWriter w = log.plainWriter("t")) {
            for (int i = 0; i < 3; i++) {
                w.append(Outgoing.to(Topic.EVENTS, Envelope.of(new Fact.Tick(), "t"))).join();
            }
        }
        try (ChronicleEventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
             PlainWriter w = log.plainWriter("t")) {
            assertEquals(3L, w.append(Outgoing.to(Topic.EVENTS, Envelope.of(new Fact.Tick(), "t"))).join().offset());
            assertEquals(4L, log.endOffsets(Topic.EVENTS).get(0));
            try (LogReader r = log.reader(Topic.EVENTS)) {
                assertEquals(List.of(0L, 1L, 2L, 3L), readAll(r, 4).stream().map(LogEntry::offset).toList());
            }
        }
    }

    @Test
    void aCopyKeepsPositionsLogTimesAndWriters() {
        Path copy = dir.resolve("copy");
        try (ChronicleEventLog log = new ChronicleEventLog(copy, ChronicleOptions.DEFAULTS)) {
            log.appendCopy(new LogEntry(Topic.PLAN, 0, 41,
                    Envelope.decision(new Decision.RuleRemoved("default/a"), "planner", 17).withLogTime(1234)));
            log.appendCopy(new LogEntry(Topic.PLAN, 0, 45,
                    Envelope.decision(new Decision.RuleRemoved("default/b"), "planner", 18).withLogTime(1240)));
            assertThrows(LogException.class, () -> log.appendCopy(new LogEntry(Topic.PLAN, 0, 44,
                    Envelope.decision(new Decision.RuleRemoved("default/c"), "planner", 18).withLogTime(1241))));
            try (LogReader r = log.reader(Topic.PLAN)) {
                List<LogEntry> got = readAll(r, 2);
                assertEquals(41, got.get(0).offset());
                assertEquals(1234, got.get(0).logTime());
                assertEquals("planner", got.get(0).envelope().writer());
                assertEquals(17, got.get(0).envelope().basedOn());
                assertEquals(45, got.get(1).offset());
                r.seek(0, 42);
                assertEquals(45, readAll(r, 1).getFirst().offset());
            }
            assertEquals(46L, log.endOffsets(Topic.PLAN).get(0));
        }
    }

    static List<LogEntry> readAll(LogReader r, int n) {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(r.poll(Duration.ofMillis(100)));
        }
        return out;
    }
}
