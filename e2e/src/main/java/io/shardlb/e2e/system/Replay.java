package io.shardlb.e2e.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of {@code shardlb replay --verify} run in its own JVM against a live log.
 *
 * @param exit   its exit code (0: every recorded decision reproduced)
 * @param output what it printed
 */
public record Replay(int exit, String output) {

    /** Whether the replay reproduced every decision. */
    public boolean verified() {
        return exit == 0;
    }

    static Replay verify(String logUri, Path copy, Path out) {
        return run(VerifyMain.class.getName(), List.of(logUri, copy.toString()), out);
    }

    static Replay run(List<String> args, Path out) {
        return run(io.shardlb.cli.Main.class.getName(), args, out);
    }

    /** Runs {@code main ARGS…} in a fresh JVM, output to {@code out}. */
    private static Replay run(String main, List<String> args, Path out) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        try {
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("shardlb " + args + " did not finish in 5 minutes (output in " + out + ")");
            }
            return new Replay(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
