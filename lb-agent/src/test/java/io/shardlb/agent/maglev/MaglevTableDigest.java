package io.shardlb.agent.maglev;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Child-JVM entry point: prints the SHA-256 of the Maglev table of {@link #keys} given in a shuffled order. */
public final class MaglevTableDigest {
    private MaglevTableDigest() {
    }

    static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("10.1." + (i / 200) + "." + (i % 200 + 1) + ":" + (8000 + i % 7));
        }
        return keys;
    }

    /** SHA-256 over the slot owners' keys, slot by slot: equal digests mean byte-identical tables. */
    static String digest(List<String> keys) throws Exception {
        int[] table = new MaglevHash().ringFor(keys, MaglevHash.DEFAULT_SIZE);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int owner : table) {
            md.update(keys.get(owner).getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static void main(String[] args) throws Exception {
        List<String> keys = keys(Integer.parseInt(args[0]));
        Collections.shuffle(keys, new Random(Long.parseLong(args[1])));
        System.out.println(digest(keys));
    }
}
