package io.shardlb.e2e.system;

/**
 * Entry point of the controller and agent child JVMs: announces itself (so the parent knows the JVM is up) and
 * runs the {@code shardlb} command line exactly as a user would.
 */
public final class ChildMain {
    /** The line printed before the command starts. */
    public static final String STARTED = "SHARDLB CHILD STARTED";

    private ChildMain() {
    }

    public static void main(String[] args) {
        System.out.println(STARTED + " pid=" + ProcessHandle.current().pid());
        io.shardlb.cli.Main.main(args);
    }
}
