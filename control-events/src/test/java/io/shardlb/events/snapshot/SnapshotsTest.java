package io.shardlb.events.snapshot;

import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogReads;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.log.SampleRecords;
import io.shardlb.events.schema.SnapshotChunk;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotsTest {

    @Test
    void chunksCoverTheImageInOrderWithStageIndexKeys() {
        byte[] image = image(1_300_000, 1);
        List<Outgoing> chunks = Snapshots.chunk("planner", 41, image, 512 * 1024, "s1");
        assertEquals(3, chunks.size());
        for (int i = 0; i < 3; i++) {
            SnapshotChunk c = chunks.get(i).envelope().payload(SnapshotChunk.class);
            assertEquals("planner/" + i, chunks.get(i).key());
            assertEquals(i, c.index());
            assertEquals(3, c.count());
            assertEquals(41, c.position());
            assertEquals("s1", c.snapshotId());
        }
        assertEquals(1, Snapshots.chunk("agent", 0, new byte[0]).size(), "an empty image is one empty chunk");
        assertThrows(IllegalArgumentException.class, () -> Snapshots.chunk("a/b", 0, image));
    }

    @Test
    void theNewestCompleteSnapshotOfAStageIsReadBack() {
        try (EventLog log = KafkaFixture.open("snap"); FencedWriter planner = log.fencedWriter("planner", "planner")) {
            planner.init();
            assertEquals(Optional.empty(), Snapshots.latest(log, "planner"));

            byte[] first = image(1_300_000, 1);
            List<Outgoing> batch = new ArrayList<>(SampleRecords.rules("p", 0, 10));
            batch.addAll(Snapshots.chunk("planner", 9, first));
            LogReads.awaitCommitted(log, planner.append(batch), Duration.ofSeconds(60));
            StoredSnapshot s1 = Snapshots.latest(log, "planner").orElseThrow();
            assertArrayEquals(first, s1.image());
            assertEquals(9, s1.position());

            byte[] second = image(600_000, 2);
            batch = new ArrayList<>(SampleRecords.rules("p", 10, 10));
            batch.addAll(Snapshots.chunk("planner", 19, second));
            batch.addAll(Snapshots.chunk("agent", 19, "agent image".getBytes(StandardCharsets.UTF_8)));
            LogReads.awaitCommitted(log, planner.append(batch), Duration.ofSeconds(60));

            // An incomplete later set (2 of 3 chunks) is never taken.
            try (PlainWriter w = log.plainWriter("planner")) {
                List<Outgoing> partial = Snapshots.chunk("planner", 29, image(1_300_000, 3), 512 * 1024, "torn");
                w.append(partial.get(0)).join();
                w.append(partial.get(1)).join();
            }

            StoredSnapshot s2 = Snapshots.latest(log, "planner").orElseThrow();
            assertArrayEquals(second, s2.image());
            assertEquals(19, s2.position());
            assertTrue(s2.lastChunk().offset() > s1.lastChunk().offset());
            assertEquals("agent image", new String(Snapshots.latest(log, "agent").orElseThrow().image(),
                    StandardCharsets.UTF_8));
        }
    }

    private static byte[] image(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
