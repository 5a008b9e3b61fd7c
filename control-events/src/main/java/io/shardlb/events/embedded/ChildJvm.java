package io.shardlb.events.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class run in a child JVM (the {@code java} of this JVM, the same class path). Its output goes to a
 * log file; {@link #start} returns once it printed a line starting with a given prefix, so the parent knows
 * it is ready.
 */
public final class ChildJvm {
    private final Process process;
    private final String readyLine;

    private ChildJvm(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    /**
     * Starts {@code mainClass} with {@code args} and {@code jvmArgs}, copying its output to {@code log}; waits
     * up to {@code timeout} for a line starting with {@code readyPrefix}.
     *
     * @throws IllegalStateException if it exits or times out first (the child is then killed)
     */
    public static ChildJvm start(String mainClass, List<String> args, List<String> jvmArgs, String readyPrefix,
                                 Path log, Duration timeout) {
        return start(List.of(), mainClass, args, jvmArgs, readyPrefix, log, timeout);
    }

    /**
     * As {@link #start(String, List, List, String, Path, Duration)}, the {@code java} command run through
     * {@code wrapper} (e.g. {@code ip netns exec NS}, which execs it: the process is then the JVM itself).
     */
    public static ChildJvm start(List<String> wrapper, String mainClass, List<String> args, List<String> jvmArgs,
                                 String readyPrefix, Path log, Duration timeout) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("child-out-" + p.pid()).start(() -> pump(p, log, readyPrefix, ready));
        try {
            return new ChildJvm(p, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            p.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not print '" + readyPrefix + "' within " + timeout
                    + " (output in " + log + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + mainClass, e);
        }
    }

    private static void pump(Process p, Path log, String readyPrefix, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(readyPrefix)) {
                    ready.complete(line);
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the child exited"));
    }

    /** The line that announced readiness. */
    public String readyLine() {
        return readyLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Closes the child's stdin (children that watch it stop on EOF). */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the child sees EOF either way
        }
    }

    /** Kills the child with SIGKILL and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        if (!waitFor(Duration.ofSeconds(30))) {
            throw new IllegalStateException("child " + pid() + " survived SIGKILL for 30 s");
        }
    }

    /** Waits up to {@code d} for the child to exit; {@code true} if it did. */
    public boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
