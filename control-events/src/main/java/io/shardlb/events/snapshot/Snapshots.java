package io.shardlb.events.snapshot;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.SnapshotChunk;
import io.shardlb.events.schema.Topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Stage images on the compacted snapshots topic. {@link #chunk} cuts an image into {@link SnapshotChunk}
 * records to append in the same fenced batch as the plan records it follows; {@link #latest} reads the newest
 * complete one back. Chunks are keyed {@code stage/index}, so compaction keeps the latest chunk of each index;
 * the snapshot id and count they carry tell a complete set from a mix.
 */
public final class Snapshots {
    /** Default largest chunk (image bytes before Base64): well under Kafka's 1 MB message limit once encoded. */
    public static final int DEFAULT_MAX_CHUNK_BYTES = 512 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private Snapshots() {
    }

    /** {@link #chunk(String, long, byte[], int, String)} with the default chunk size and a random id. */
    public static List<Outgoing> chunk(String stage, long position, byte[] image) {
        return chunk(stage, position, image, DEFAULT_MAX_CHUNK_BYTES, UUID.randomUUID().toString());
    }

    /**
     * The records holding {@code image} of {@code stage} as of log position {@code position}, for partition 0
     * of the snapshots topic, each at most {@code maxChunkBytes} of image. An empty image is one empty chunk.
     */
    public static List<Outgoing> chunk(String stage, long position, byte[] image, int maxChunkBytes,
                                       String snapshotId) {
        if (maxChunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive: maxChunkBytes=" + maxChunkBytes);
        }
        if (stage.isEmpty() || stage.contains("/")) {
            throw new IllegalArgumentException("stage must be non-empty without '/': stage=" + stage);
        }
        int count = Math.max(1, (image.length + maxChunkBytes - 1) / maxChunkBytes);
        List<Outgoing> out = new ArrayList<>(count);
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(image, i * maxChunkBytes, Math.min(image.length, (i + 1) * maxChunkBytes));
            SnapshotChunk c = new SnapshotChunk(stage, snapshotId, position, i, count, b64.encodeToString(part));
            // Partition 0: one total order, so "newest" is well defined.
            out.add(new Outgoing(Topic.SNAPSHOTS, 0, stage + "/" + i, Envelope.of(c, "")));
        }
        return out;
    }

    /**
     * The newest complete snapshot of {@code stage} committed when the call began, or empty if there is none.
     *
     * @throws io.shardlb.events.schema.SchemaException if a record on the topic cannot be read
     * @throws LogException if the topic cannot be read to its end within a minute
     */
    public static Optional<StoredSnapshot> latest(EventLog log, String stage) {
        SnapshotAssembler assembler = new SnapshotAssembler(stage);
        try (LogReader r = log.reader(Topic.SNAPSHOTS)) {
            Map<Integer, Long> end = r.endOffsets();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!r.hasReached(end)) {
                if (System.nanoTime() > deadline) {
                    throw new LogException("snapshots not read to " + end + " within " + READ_TIMEOUT + " (at "
                            + r.positions() + ")");
                }
                for (LogEntry e : r.poll(POLL)) {
                    assembler.add(e);
                }
            }
        }
        return assembler.newest();
    }
}
