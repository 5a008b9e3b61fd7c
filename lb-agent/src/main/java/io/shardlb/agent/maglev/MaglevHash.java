package io.shardlb.agent.maglev;

import java.util.Arrays;
import java.util.List;

/**
 * Maglev hashing (Eisenbud et al., NSDI 2016): each endpoint walks its own permutation of the table, {@code
 * offset + j * skip mod size}, with offset and skip from two hashes of its key, and the table size is prime (65537
 * by default) so every permutation visits every slot.
 *
 * <p>Fill rule. The paper fills slots round robin (each endpoint in turn takes its next free preferred slot),
 * which balances the table to ±1 slot but is not monotone: removing one endpoint lets the others reach freed slots
 * earlier, and the cascade moves slots between surviving endpoints too (measured in {@code MaglevHashTest}). Here
 * a slot belongs to the endpoint that reaches it <em>earliest</em> in its permutation (smallest {@code j}; ties go
 * to the smaller key hash, then the smaller key). That is still the same per-endpoint permutations and the same
 * table on every agent, and it is exactly monotone: removing an endpoint moves only its own slots, adding one
 * takes slots only. The price is statistical instead of exact balance (each endpoint holds about size/n slots,
 * spread as a binomial). Connection continuity across agents is what {@code dsr} needs, so monotonicity wins.
 */
public final class MaglevHash implements ConsistentHash {
    /** The table size used by every forwarder (prime, as Katran and kube-loxilb). */
    public static final int DEFAULT_SIZE = 65537;

    private static final long OFFSET_SEED = 0x6d61676c65762d6fL;
    private static final long SKIP_SEED = 0x736b69702d736c62L;

    @Override
    public int[] ringFor(List<String> endpointKeys, int size) {
        if (size < 2 || !isPrime(size)) {
            throw new IllegalArgumentException("Maglev table size must be a prime >= 2: size=" + size);
        }
        int[] owner = new int[size];
        Arrays.fill(owner, -1);
        int[] bestRank = new int[size];
        long[] bestHash = new long[size];
        for (int i = 0; i < endpointKeys.size(); i++) {
            String key = endpointKeys.get(i);
            long offsetHash = Hashing.hash(key, OFFSET_SEED);
            long offset = Long.remainderUnsigned(offsetHash, size);
            long skip = Long.remainderUnsigned(Hashing.hash(key, SKIP_SEED), size - 1) + 1;
            long slot = offset;
            for (int j = 0; j < size; j++) {
                int s = (int) slot;
                int o = owner[s];
                if (o < 0 || j < bestRank[s] || (j == bestRank[s] && wins(offsetHash, key, bestHash[s],
                        endpointKeys.get(o)))) {
                    owner[s] = i;
                    bestRank[s] = j;
                    bestHash[s] = offsetHash;
                }
                slot += skip;
                if (slot >= size) {
                    slot -= size;
                }
            }
        }
        return owner;
    }

    private static boolean wins(long hash, String key, long otherHash, String otherKey) {
        int c = Long.compareUnsigned(hash, otherHash);
        return c < 0 || (c == 0 && key.compareTo(otherKey) < 0);
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
