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
 * An {@link EmbeddedKafka} node in a child JVM (the {@code java} of this JVM, the same class path), so the
 * broker does not share a heap or a GC with the code measuring or testing it, and can be killed with -9.
 * The child stops by itself when this JVM goes away (it watches its stdin). Its output goes to
 * {@code kafka.out} in the data directory.
 */
public final class EmbeddedKafkaProcess implements AutoCloseable {
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String bootstrap;

    private EmbeddedKafkaProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** JVM flags for a quick start (C1 only, serial GC): tests and local runs, not throughput. */
    public static final List<String> QUICK_START_JVM = List.of("-Xmx1g", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow");

    /** Starts a single node keeping its data in {@code dataDir}; returns when it serves clients. */
    public static EmbeddedKafkaProcess start(Path dataDir) {
        return start(dataDir, List.of(), QUICK_START_JVM, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts a node with {@code args} for {@link EmbeddedKafka#main} (after {@code --data-dir}) and
     * {@code jvmArgs} for its JVM, waiting up to {@code timeout} for its ready line.
     */
    public static EmbeddedKafkaProcess start(Path dataDir, List<String> args, List<String> jvmArgs,
                                             Duration timeout) {
        try {
            Files.createDirectories(dataDir);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(EmbeddedKafka.class.getName());
            cmd.add("--data-dir");
            cmd.add(dataDir.toString());
            cmd.addAll(args);
            cmd.add("--exit-on-stdin-eof");
            Path log = dataDir.resolve("kafka.out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread pump = new Thread(() -> pump(p, log, ready), "embedded-kafka-out-" + p.pid());
            pump.setDaemon(true);
            pump.start();
            try {
                return new EmbeddedKafkaProcess(p, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
                throw new IllegalStateException("embedded Kafka did not start within " + timeout + " (see " + log
                        + "): " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting embedded Kafka", e);
        }
    }

    /** Copies the child's output to its log file and completes {@code ready} with the bootstrap address. */
    private static void pump(Process p, Path log, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(EmbeddedKafka.READY + " ")) {
                    ready.complete(line.substring(EmbeddedKafka.READY.length() + 1).trim());
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("embedded Kafka exited before it was ready"));
    }

    /** The bootstrap address the child printed. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child with SIGKILL (a crash, for failover tests) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** Asks the child to stop (closes its stdin) without waiting; {@link #close} then waits. */
    public void requestStop() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the child sees EOF either way
        }
    }

    /** Stops the child cleanly (it shuts its broker down when its stdin closes) and waits up to 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        requestStop();
        if (!waitFor(Duration.ofSeconds(30))) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
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
