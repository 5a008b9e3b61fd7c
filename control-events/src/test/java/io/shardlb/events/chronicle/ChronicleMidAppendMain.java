package io.shardlb.events.chronicle;

import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.SampleRecords;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A journal writer that dies inside an append (the parent kills it with -9): it appends {@code committed} plan
 * records as one batch, then opens the next excerpt, writes part of it, prints {@code OPEN} and waits.
 * Args: dir tag committed.
 */
public final class ChronicleMidAppendMain {
    private ChronicleMidAppendMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String tag = args[1];
        int committed = Integer.parseInt(args[2]);
        ChronicleEventLog log = new ChronicleEventLog(dir, ChronicleOptions.DEFAULTS);
        try (FencedWriter w = log.fencedWriter("planner", "dead-planner")) {
            w.init();
            w.append(SampleRecords.rules(tag, 0, committed));
        }
        // A second handle on the same queue: open an excerpt, write half of it, never finish it.
        ChronicleQueue raw = SingleChronicleQueueBuilder.single(dir.resolve("queue").toString()).build();
        DocumentContext dc = raw.createAppender().writingDocument();
        dc.wire().bytes().writeInt(ExcerptCodec.LAYOUT_VERSION);
        dc.wire().bytes().writeInt(5);
        dc.wire().bytes().write8bit("plan");
        System.out.println("OPEN");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
