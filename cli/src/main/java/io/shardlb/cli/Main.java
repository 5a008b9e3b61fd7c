package io.shardlb.cli;

import picocli.CommandLine;

/** Entry point of the {@code shardlb} command. Usage errors exit 2 with a usage message, never a stack trace. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new ShardlbCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError u) {
                cmd.getErr().println("shardlb: " + u.getMessage());
                return 2;
            }
            cmd.getErr().println("shardlb: " + ex);
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", ex);
            return 1;
        });
        return cl.execute(args);
    }
}
