package io.shardlb.cli.local;

import io.shardlb.cli.Main;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code shardlb ARGS} as a child process of the test, in a directory of its own (where {@code .shardlb/local/}
 * lives), with its output collected line by line and kept in {@code target/local-test/NAME.out}.
 */
final class LocalRun implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Long> seenDescendants = new CopyOnWriteArrayList<>();

    private LocalRun(Process process) {
        this.process = process;
    }

    static LocalRun start(Path dir, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Path.of("target", "local-test", name + ".out").toAbsolutePath();
        try {
            Files.createDirectories(out.getParent());
            LocalRun run = new LocalRun(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .start());
            Thread.ofPlatform().daemon().name("out-" + name).start(() -> run.pump(out));
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump(Path file) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String l; (l = in.readLine()) != null; ) {
                lines.add(l);
                w.write(l + "\n");
                w.flush();
            }
        } catch (IOException ignored) {
            // the process is gone; what was read is kept
        }
    }

    /** Waits for a line {@code test} accepts; returns it. */
    String awaitLine(String what, Duration limit, Predicate<String> test) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            rememberDescendants();
            for (String l : lines) {
                if (test.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(test)) {
                throw new AssertionError("exited (" + process.exitValue() + ") before " + what + ":\n" + output());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + ":\n" + output());
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    List<String> lines() {
        return lines;
    }

    String output() {
        return String.join("\n", lines);
    }

    long pid() {
        return process.pid();
    }

    /** Every process ever seen below this one (children and theirs). */
    List<Long> descendants() {
        rememberDescendants();
        return List.copyOf(seenDescendants);
    }

    private void rememberDescendants() {
        process.descendants().forEach(h -> {
            if (!seenDescendants.contains(h.pid())) {
                seenDescendants.add(h.pid());
            }
        });
    }

    /** Kills what is left (a failed test): the process and every descendant it had. */
    @Override
    public void close() {
        rememberDescendants();
        process.destroyForcibly();
        for (long pid : seenDescendants) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
