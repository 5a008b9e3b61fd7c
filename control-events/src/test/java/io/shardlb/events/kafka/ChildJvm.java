package io.shardlb.events.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a child JVM and waits for a line it prints. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code main} with {@code args}; returns once it printed a line starting with {@code ready}. */
    public static Process start(Class<?> main, List<String> args, String ready, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<Void> seen = new CompletableFuture<>();
            StringBuilder output = new StringBuilder();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        if (line.startsWith(ready)) {
                            seen.complete(null);
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
                seen.completeExceptionally(new IllegalStateException("child exited before printing " + ready));
            });
            try {
                seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                synchronized (output) {
                    throw new IllegalStateException("child " + main.getSimpleName() + " did not print " + ready
                            + ": " + e + "\n" + output, e);
                }
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, then wait until the process is gone. */
    public static void kill(Process p) {
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + p.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
