package io.shardlb.agent.maglev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaglevHashTest {
    private static final int M = MaglevHash.DEFAULT_SIZE;
    private final MaglevHash maglev = new MaglevHash();

    private String[] ownersByKey(List<String> keys) {
        int[] t = maglev.ringFor(keys, M);
        String[] out = new String[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = keys.get(t[i]);
        }
        return out;
    }

    @Test
    void removingOneOfHundredMovesOnlyItsOwnSlots() {
        List<String> keys = MaglevTableDigest.keys(100);
        String[] before = ownersByKey(keys);
        for (int victim : new int[] {0, 37, 99}) {
            List<String> rest = new ArrayList<>(keys);
            String gone = rest.remove(victim);
            String[] after = ownersByKey(rest);
            int moved = 0;
            int owned = 0;
            for (int s = 0; s < M; s++) {
                if (before[s].equals(gone)) {
                    owned++;
                } else {
                    assertEquals(before[s], after[s], "slot " + s + " of a surviving endpoint moved");
                }
                if (!before[s].equals(after[s])) {
                    moved++;
                }
            }
            assertEquals(owned, moved, "exactly the removed endpoint's slots move");
            assertTrue(moved > M / 100 * 0.75 && moved < M / 100 * 1.25, "moved " + moved + " of " + M);
        }
    }

    @Test
    void addingOneTakesSlotsOnly() {
        List<String> keys = MaglevTableDigest.keys(101);
        String added = keys.get(100);
        String[] before = ownersByKey(keys.subList(0, 100));
        String[] after = ownersByKey(keys);
        int taken = 0;
        for (int s = 0; s < M; s++) {
            if (!before[s].equals(after[s])) {
                assertEquals(added, after[s]);
                taken++;
            }
        }
        assertTrue(taken > M / 101 * 0.75 && taken < M / 101 * 1.25, "taken " + taken);
    }

    @Test
    void everyEndpointHoldsAboutItsShare() {
        for (int n : new int[] {2, 3, 10, 100}) {
            int[] t = maglev.ringFor(MaglevTableDigest.keys(n), M);
            int[] count = new int[n];
            for (int o : t) {
                count[o]++;
            }
            double mean = (double) M / n;
            for (int c : count) {
                assertTrue(Math.abs(c - mean) < mean * 0.2, "n=" + n + " counts " + Arrays.toString(count));
            }
        }
    }

    @Test
    void emptyAndSingle() {
        assertTrue(Arrays.stream(maglev.ringFor(List.of(), 7)).allMatch(i -> i == -1));
        assertTrue(Arrays.stream(maglev.ringFor(List.of("a"), 7)).allMatch(i -> i == 0));
    }

    /** Why the fill rule differs from the paper's: its round-robin fill moves slots of survivors. */
    @Test
    void paperRoundRobinFillIsNotMonotone() {
        List<String> keys = MaglevTableDigest.keys(100);
        String[] before = roundRobin(keys);
        List<String> rest = new ArrayList<>(keys);
        String gone = rest.remove(37);
        String[] after = roundRobin(rest);
        int survivorsMoved = 0;
        for (int s = 0; s < M; s++) {
            if (!before[s].equals(gone) && !before[s].equals(after[s])) {
                survivorsMoved++;
            }
        }
        assertTrue(survivorsMoved > 0, "the paper's fill moved " + survivorsMoved + " survivor slots");
    }

    private static String[] roundRobin(List<String> keys) {
        int n = keys.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        for (int i = 0; i < n; i++) {
            offset[i] = Long.remainderUnsigned(Hashing.hash(keys.get(i), 1), M);
            skip[i] = Long.remainderUnsigned(Hashing.hash(keys.get(i), 2), M - 1) + 1;
        }
        String[] t = new String[M];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                long c = (offset[i] + next[i] * skip[i]) % M;
                while (t[(int) c] != null) {
                    next[i]++;
                    c = (offset[i] + next[i] * skip[i]) % M;
                }
                t[(int) c] = keys.get(i);
                next[i]++;
                if (++filled == M) {
                    return t;
                }
            }
        }
    }

    @Test
    void shuffledOrdersInSeparateJvmsGiveIdenticalTables() throws Exception {
        String here = MaglevTableDigest.digest(MaglevTableDigest.keys(50));
        Map<Long, String> digests = new HashMap<>();
        for (long seed : new long[] {1, 2, 3}) {
            digests.put(seed, childDigest(50, seed));
        }
        for (Map.Entry<Long, String> e : digests.entrySet()) {
            assertEquals(here, e.getValue(), "child JVM with shuffle seed " + e.getKey());
        }
    }

    private static String childDigest(int n, long seed) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MaglevTableDigest.class.getName(), Integer.toString(n), Long.toString(seed))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        return out.substring(out.lastIndexOf('\n') + 1);
    }
}
