package io.shardlb.events.snapshot;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.schema.SnapshotChunk;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Folds the snapshots topic, in log order, into the newest complete snapshot of one stage. A snapshot is
 * complete when every chunk index {@code 0..count-1} of its id has been read; incomplete sets (a writer that
 * died mid-way outside a transaction, or older sets partly replaced by compaction) are never returned.
 */
final class SnapshotAssembler {
    private final String stage;
    private final Map<String, Partial> partials = new HashMap<>();
    private StoredSnapshot newest;

    SnapshotAssembler(String stage) {
        this.stage = stage;
    }

    void add(LogEntry entry) {
        SnapshotChunk c = entry.envelope().payload(SnapshotChunk.class);
        if (!c.stage().equals(stage) || c.count() < 1 || c.index() < 0 || c.index() >= c.count()) {
            return;
        }
        Partial p = partials.computeIfAbsent(c.snapshotId(), id -> new Partial(c, entry.offset()));
        if (!p.accepts(c)) {
            // A chunk that disagrees with its siblings: the set cannot be trusted; start it afresh.
            p = new Partial(c, entry.offset());
            partials.put(c.snapshotId(), p);
        }
        p.chunks[c.index()] = Base64.getDecoder().decode(c.data());
        if (p.isComplete()) {
            partials.remove(c.snapshotId());
            newest = new StoredSnapshot(stage, c.snapshotId(), c.position(), p.bytes(),
                    new LogPosition(entry.topic(), entry.partition(), entry.offset(), entry.logTime()));
            dropOlderThan(p.firstOffset);
        }
    }

    Optional<StoredSnapshot> newest() {
        return Optional.ofNullable(newest);
    }

    /** Sets begun before the newest complete one can only ever be older: forget them. */
    private void dropOlderThan(long offset) {
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext(); ) {
            if (it.next().firstOffset < offset) {
                it.remove();
            }
        }
    }

    private static final class Partial {
        final int count;
        final long position;
        final long firstOffset;
        final byte[][] chunks;

        Partial(SnapshotChunk first, long offset) {
            this.count = first.count();
            this.position = first.position();
            this.firstOffset = offset;
            this.chunks = new byte[count][];
        }

        boolean accepts(SnapshotChunk c) {
            return c.count() == count && c.position() == position;
        }

        boolean isComplete() {
            for (byte[] c : chunks) {
                if (c == null) {
                    return false;
                }
            }
            return true;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] c : chunks) {
                out.writeBytes(c);
            }
            return out.toByteArray();
        }
    }
}
