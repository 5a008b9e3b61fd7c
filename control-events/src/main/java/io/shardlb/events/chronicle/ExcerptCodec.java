package io.shardlb.events.chronicle;

import io.shardlb.events.schema.Topic;
import net.openhft.chronicle.bytes.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of one excerpt: one append (a single record, or a whole atomic batch, possibly spanning topics).
 * A reader sees an excerpt whole or not at all, which is what makes batches atomic here.
 * <pre>
 * int   LAYOUT_VERSION
 * int   count
 * count × { 8-bit string topic suffix, int partition, long offset, long logTime, int length, byte[length] wire }
 * </pre>
 */
final class ExcerptCodec {
    static final int LAYOUT_VERSION = 1;

    /** One stored record: where it sits in its topic, its log time, and its wire bytes (RecordCodec). */
    record Stored(Topic topic, int partition, long offset, long logTime, byte[] wire) {
    }

    private ExcerptCodec() {
    }

    static void write(Bytes<?> out, List<Stored> records) {
        out.writeInt(LAYOUT_VERSION);
        out.writeInt(records.size());
        for (Stored r : records) {
            out.write8bit(r.topic().suffix());
            out.writeInt(r.partition());
            out.writeLong(r.offset());
            out.writeLong(r.logTime());
            out.writeInt(r.wire().length);
            out.write(r.wire());
        }
    }

    static List<Stored> read(Bytes<?> in, String where) {
        int layout = in.readInt();
        if (layout != LAYOUT_VERSION) {
            throw new io.shardlb.events.log.LogException("journal excerpt at " + where + " has layout " + layout
                    + "; this shardlb reads layout " + LAYOUT_VERSION);
        }
        int count = in.readInt();
        List<Stored> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Topic topic = Topic.parse(in.read8bit());
            int partition = in.readInt();
            long offset = in.readLong();
            long logTime = in.readLong();
            byte[] wire = new byte[in.readInt()];
            in.read(wire);
            out.add(new Stored(topic, partition, offset, logTime, wire));
        }
        return out;
    }
}
