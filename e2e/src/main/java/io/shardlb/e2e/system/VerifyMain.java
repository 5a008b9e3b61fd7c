package io.shardlb.e2e.system;

import io.shardlb.cli.Main;

/**
 * {@code shardlb log export} then {@code shardlb replay --verify} in one JVM, as a user checks a live log: the
 * export copies {@code plan} first and {@code events} second, so the copy holds every fact a copied decision
 * answers (a live {@code replay --verify} reads events first and may meet a decision about a fact it did not read).
 * Arguments: the live log's URI and the directory for the copy. Exits with the replay's code.
 */
public final class VerifyMain {
    private VerifyMain() {
    }

    public static void main(String[] args) {
        String copy = "chronicle:" + args[1];
        int exported = Main.run("log", "export", "--log", args[0], "--topics", "plan,events", "--to", copy);
        if (exported != 0) {
            System.out.println("export failed: exit " + exported);
            System.exit(3);
        }
        System.exit(Main.run("replay", "--verify", "--log", copy));
    }
}
