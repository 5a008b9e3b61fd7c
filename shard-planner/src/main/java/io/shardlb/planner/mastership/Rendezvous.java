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
        return weight(nameHash(agent), index);
    }

    /**
     * The part of the weight that depends on the agent name alone (FNV-1a 64 over its UTF-8 bytes), so that a
     * caller weighing one agent for many instances hashes its name once.
     */
    static long nameHash(String agent) {
        long h = FNV_OFFSET;
        for (int i = 0; i < agent.length(); i++) {
            char c = agent.charAt(i);
            if (c >= 0x80) {
                return utf8NameHash(agent); // an ASCII char is its own UTF-8 byte; anything else is not
            }
            h = (h ^ c) * FNV_PRIME;
        }
        return h;
    }

    /** The weight for instance {@code index} of the agent whose {@link #nameHash} is {@code nameHash}. */
    static long weight(long nameHash, int index) {
        long h = nameHash;
        for (int shift = 24; shift >= 0; shift -= 8) {
            h = (h ^ ((index >>> shift) & 0xff)) * FNV_PRIME;
        }
        return fmix64(h);
    }

    private static long utf8NameHash(String agent) {
        long h = FNV_OFFSET;
        for (byte b : agent.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** {@code agents} ordered by weight for instance {@code index}, heaviest first; equal weights by name. */
    public static List<String> order(int index, Collection<String> agents) {
        // each weight once (a comparator that weighs both sides hashes every name log(n) times per sort)
        List<Weighed> weighed = new ArrayList<>(agents.size());
        for (String a : agents) {
            weighed.add(new Weighed(weight(index, a), a));
        }
        weighed.sort(Weighed.ORDER);
        List<String> out = new ArrayList<>(weighed.size());
        for (Weighed w : weighed) {
            out.add(w.agent());
        }
        return out;
    }

    /**
     * {@link #order} of {@code agents} without {@code skip} (null: none), given the {@link #nameHash} of each
     * agent by position: no name is hashed again.
     */
    static List<String> order(int index, List<String> agents, long[] nameHashes, String skip) {
        List<Weighed> weighed = new ArrayList<>(agents.size());
        for (int j = 0; j < agents.size(); j++) {
            String a = agents.get(j);
            if (skip == null || !a.equals(skip)) {
                weighed.add(new Weighed(weight(nameHashes[j], index), a));
            }
        }
        weighed.sort(Weighed.ORDER);
        List<String> out = new ArrayList<>(weighed.size());
        for (Weighed w : weighed) {
            out.add(w.agent());
        }
        return out;
    }

    /** Whether weight {@code w} of agent {@code a} is preferred to weight {@code bestW} of agent {@code best}. */
    static boolean preferred(long w, String a, long bestW, String best) {
        int byWeight = Long.compareUnsigned(bestW, w);
        return byWeight != 0 ? byWeight < 0 : a.compareTo(best) < 0;
    }

    /** An agent with its weight for one instance; ordered as {@link #preference}. */
    private record Weighed(long weight, String agent) {
        static final Comparator<Weighed> ORDER = (a, b) -> {
            int byWeight = Long.compareUnsigned(b.weight, a.weight);
            return byWeight != 0 ? byWeight : a.agent.compareTo(b.agent);
        };
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
