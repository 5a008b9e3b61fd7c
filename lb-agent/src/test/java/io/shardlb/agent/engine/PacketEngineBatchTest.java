package io.shardlb.agent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** processBatch gives exactly what frame-by-frame process gives: same verdicts, same bytes, same counters. */
class PacketEngineBatchTest {
    @Test
    void batchEqualsOneByOne() {
        Random rnd = new Random(5);
        try (PacketEngine single = EngineFixture.engine(Mode.FULLNAT, Protocol.TCP);
             PacketEngine batch = EngineFixture.engine(Mode.FULLNAT, Protocol.TCP)) {
            int n = 64;
            int size = 128;
            byte[] a = new byte[n * size];
            long[] offsets = new long[n];
            int[] lengths = new int[n];
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < n; i++) {
                    byte[] f = EngineFixture.fromClient(RefFrames.TCP, 30000 + rnd.nextInt(500),
                            rnd.nextBoolean() ? 0x02 : 0x10, "x".repeat(rnd.nextInt(40)));
                    if (rnd.nextInt(10) == 0) {
                        f[14] = 0x46;
                    }
                    System.arraycopy(f, 0, a, i * size, f.length);
                    offsets[i] = (long) i * size;
                    lengths[i] = f.length;
                }
                byte[] b = a.clone();
                long[] one = new long[n];
                for (int i = 0; i < n; i++) {
                    one[i] = single.process(MemorySegment.ofArray(a), offsets[i], lengths[i], EngineFixture.T0);
                }
                long[] many = new long[n];
                batch.processBatch(MemorySegment.ofArray(b), offsets, lengths, n, EngineFixture.T0, many);
                assertArrayEquals(one, many);
                assertArrayEquals(a, b);
            }
            assertEquals(single.drops(), batch.drops());
            assertEquals(single.counters("svc/80/TCP"), batch.counters("svc/80/TCP"));
        }
    }
}
