package io.shardlb.planner.mastership;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing of instance and agent: the deterministic tie-break of every
 * mastership choice. The weight is FNV-1a 64 over the agent name's UTF-8 bytes and the instance index, passed
 * through MurmurHash3's 64-bit finaliser so that names differing in one character spread over the whole range.
 * Nothing here depends on {@code String.hashCode} or on the iteration order of a hash map.
 */
public final class Rendezvous {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Rendezvous() {
    }

    /** The weight of {@code agent} for instance {@code index}. */
    public static long weight(int index, String agent) {
        long h = FNV_OFFSET;
        for (byte b : agent.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            h = (h ^ ((index >>> shift) & 0xff)) * FNV_PRIME;
        }
        return fmix64(h);
    }

    /** {@code agents} ordered by weight for instance {@code index}, heaviest first; equal weights by name. */
    public static List<String> order(int index, Collection<String> agents) {
        List<String> out = new ArrayList<>(agents);
        out.sort(preference(index));
        return out;
    }

    /** The preference order of agents for instance {@code index}: heaviest weight first, then name. */
    public static Comparator<String> preference(int index) {
        return (a, b) -> {
            int byWeight = Long.compareUnsigned(weight(index, b), weight(index, a));
            return byWeight != 0 ? byWeight : a.compareTo(b);
        };
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
