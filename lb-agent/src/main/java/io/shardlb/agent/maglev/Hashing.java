package io.shardlb.agent.maglev;

import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit hashing (MurmurHash3's finaliser over 8-byte words): pure arithmetic, so the same value on every
 * JVM and machine. Used for Maglev permutations and for flow hashes shared by every forwarder.
 */
public final class Hashing {
    private Hashing() {
    }

    /** MurmurHash3 fmix64. */
    public static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** Hash of a string's UTF-8 bytes with a seed. */
    public static long hash(String s, long seed) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long h = mix(seed ^ b.length);
        long word = 0;
        int n = 0;
        for (byte x : b) {
            word = (word << 8) | (x & 0xFF);
            if (++n == 8) {
                h = mix(h ^ word) + 0x9E3779B97F4A7C15L;
                word = 0;
                n = 0;
            }
        }
        return mix(h ^ word ^ ((long) n << 56));
    }

    /**
     * Hash of an IPv4 5-tuple, the input of {@code hash} selection. Every forwarder uses this one function so a
     * flow maps to the same Maglev slot on every agent.
     */
    public static int flowHash(int srcIp, int srcPort, int dstIp, int dstPort, int protocol) {
        long a = ((long) srcIp << 32) | (dstIp & 0xFFFF_FFFFL);
        long b = ((long) (srcPort & 0xFFFF) << 32) | ((long) (dstPort & 0xFFFF) << 8) | (protocol & 0xFF);
        long h = mix(mix(a) ^ b);
        return (int) (h ^ (h >>> 32)) & 0x7FFF_FFFF;
    }

    /** Hash of a source address alone, the input of {@code persist} selection. */
    public static int sourceHash(int srcIp) {
        long h = mix(srcIp & 0xFFFF_FFFFL ^ 0x5bd1e995L);
        return (int) (h ^ (h >>> 32)) & 0x7FFF_FFFF;
    }
}
