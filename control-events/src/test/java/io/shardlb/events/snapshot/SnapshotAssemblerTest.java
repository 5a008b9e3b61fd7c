package io.shardlb.events.snapshot;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotAssemblerTest {
    private long offset;

    private void feed(SnapshotAssembler a, List<Outgoing> chunks) {
        for (Outgoing o : chunks) {
            a.add(new LogEntry(Topic.SNAPSHOTS, 0, offset++, o.envelope().withLogTime(1000 + offset)));
        }
    }

    @Test
    void onlyCompleteSetsOfTheStageCountAndTheNewestWins() {
        SnapshotAssembler a = new SnapshotAssembler("planner");
        assertTrue(a.newest().isEmpty());
        feed(a, Snapshots.chunk("planner", 5, "abcdefghij".getBytes(StandardCharsets.UTF_8), 4, "s1"));
        assertEquals("abcdefghij", new String(a.newest().orElseThrow().image(), StandardCharsets.UTF_8));
        feed(a, Snapshots.chunk("agent", 6, "other".getBytes(StandardCharsets.UTF_8), 4, "s2"));
        List<Outgoing> torn = Snapshots.chunk("planner", 7, "klmnopqrst".getBytes(StandardCharsets.UTF_8), 4, "s3");
        feed(a, torn.subList(0, 2));
        assertEquals("s1", a.newest().orElseThrow().snapshotId(), "a torn set is never taken");
        feed(a, torn.subList(2, 3));
        assertEquals("s3", a.newest().orElseThrow().snapshotId());
        assertEquals(7, a.newest().orElseThrow().position());
    }
}
