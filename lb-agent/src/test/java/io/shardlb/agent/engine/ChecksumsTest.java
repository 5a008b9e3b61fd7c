package io.shardlb.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Checksums#sum} (eight bytes per read, the last 1–7 bytes by one overlapping read) against RFC 1071 written
 * out byte pair by byte pair, for every length up to 200 at every start offset within a word.
 */
class ChecksumsTest {
    @Test
    void sumMatchesTheBytePairDefinitionForEveryLengthAndOffset() {
        Random rnd = new Random(7);
        byte[] data = new byte[256];
        for (int round = 0; round < 20; round++) {
            rnd.nextBytes(data);
            MemorySegment s = MemorySegment.ofArray(data);
            for (int off = 0; off < 8; off++) {
                for (int len = 0; len <= 200; len++) {
                    long start = rnd.nextInt(1 << 20);
                    assertEquals(reference(data, off, len, start), Checksums.finish(Checksums.sum(s, off, len, start)),
                            "off=" + off + " len=" + len);
                }
            }
        }
    }

    /** RFC 1071: 16-bit big-endian words, an odd last byte padded with zero, end-around carry, complemented. */
    private static int reference(byte[] b, int off, int len, long start) {
        long acc = start;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            acc += (hi << 8) | lo;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }
}
