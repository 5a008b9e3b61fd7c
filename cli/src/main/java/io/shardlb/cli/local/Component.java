package io.shardlb.cli.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One component of the local system in a child JVM (same {@code java}, same class path), its output in a file of
 * its own. It runs in a session of its own ({@code setsid}), so a Ctrl-C in the terminal reaches only
 * {@code shardlb local}, which then stops the components in order; it still stops by itself when its stdin closes
 * (the parent's death). An exit nobody asked for is reported through {@code onCrash}, never restarted.
 */
final class Component {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyLine;
    private volatile boolean expected;

    private Component(String name, Process process, Path log, String readyLine) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyLine = readyLine;
    }

    /**
     * Starts {@code mainClass ARGS} with {@code jvmArgs}; returns once it printed a line {@code ready}
     * accepts (at once if {@code ready} is null: the caller probes it another way), or throws (the child is then
     * killed) if it exits or stays silent for {@code timeout}.
     */
    static Component start(String name, String mainClass, List<String> args, List<String> jvmArgs, Path log,
                           Predicate<String> ready, Duration timeout, Consumer<Component> onCrash) {
        return start(name, List.of(), mainClass, args, jvmArgs, log, ready, timeout, onCrash);
    }

    /**
     * As {@link #start(String, String, List, List, Path, Predicate, Duration, Consumer)}, the JVM run through
     * {@code wrapper} (e.g. {@code ip netns exec NS}, which execs it: the pid stays the JVM's).
     */
    static Component start(String name, List<String> wrapper, String mainClass, List<String> args,
                           List<String> jvmArgs, Path log, Predicate<String> ready, Duration timeout,
                           Consumer<Component> onCrash) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString());
        }
        cmd.addAll(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(inheritedFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        Process p;
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        CompletableFuture<String> started = new CompletableFuture<>();
        if (ready == null) {
            started.complete("");
        }
        Thread.ofPlatform().daemon().name("out-" + name).start(() -> pump(p, log, ready, started));
        String line;
        try {
            line = started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not start within " + timeout + " (its output: " + log + ")");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        Component c = new Component(name, p, log, line);
        p.onExit().thenRun(() -> {
            if (!c.expected) {
                onCrash.accept(c);
            }
        });
        return c;
    }

    /** The JVM flags this JVM was given that a component needs as well (native access, module opens, -D). */
    private static List<String> inheritedFlags() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle") || a.startsWith("-Dshardlb")) {
                out.add(a);
            }
        }
        return out;
    }

    private static void pump(Process p, Path log, Predicate<String> isReady, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && isReady != null && isReady.test(line)) {
                    ready.complete(line);
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("exited"));
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    String readyLine() {
        return readyLine;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once it has exited. */
    int exitCode() {
        return process.exitValue();
    }

    /** {@code kill -9}: a crash on purpose (not reported as one). Waits until it is gone. */
    void kill() {
        expected = true;
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** Asks it to stop (closes its stdin: it runs its shutdown hook), kills it after {@code grace}. */
    void stop(Duration grace) {
        expected = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: it sees the end of its stdin either way
        }
        if (!waitFor(grace)) {
            kill();
        }
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
