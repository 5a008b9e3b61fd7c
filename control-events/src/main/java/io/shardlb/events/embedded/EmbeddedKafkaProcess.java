package io.shardlb.events.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedKafka} node in a child JVM, so the broker does not share a heap or a GC with the code
 * measuring or testing it, and can be killed with -9. The child stops by itself when this JVM goes away (it
 * watches its stdin). Its output goes to {@code kafka.out} in the data directory.
 */
public final class EmbeddedKafkaProcess implements AutoCloseable {
    /** JVM flags for a quick start (C1 only, serial GC): tests and local runs, not throughput. */
    public static final List<String> QUICK_START_JVM = List.of("-Xmx1g", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow");
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvm child;
    private final String bootstrap;

    private EmbeddedKafkaProcess(ChildJvm child) {
        this.child = child;
        this.bootstrap = child.readyLine().substring(EmbeddedKafka.READY.length()).trim();
    }

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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(args);
        all.add("--exit-on-stdin-eof");
        return new EmbeddedKafkaProcess(ChildJvm.start(EmbeddedKafka.class.getName(), all, jvmArgs,
                EmbeddedKafka.READY + " ", dataDir.resolve("kafka.out"), timeout));
    }

    /** The bootstrap address the child printed. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The child's process id. */
    public long pid() {
        return child.pid();
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return child.isAlive();
    }

    /** Kills the child with SIGKILL (a crash, for failover tests) and waits for it to be gone. */
    public void kill() {
        child.kill();
    }

    /** Asks the child to stop (closes its stdin) without waiting; {@link #close} then waits. */
    public void requestStop() {
        child.closeStdin();
    }

    /** Stops the child cleanly (it shuts its broker down when its stdin closes), killing it after 30 s. */
    @Override
    public void close() {
        if (!child.isAlive()) {
            return;
        }
        requestStop();
        if (!child.waitFor(Duration.ofSeconds(30))) {
            child.kill();
        }
    }
}
