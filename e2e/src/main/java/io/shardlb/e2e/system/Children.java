package io.shardlb.e2e.system;

import io.shardlb.events.embedded.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code shardlb} commands in child JVMs of this JVM's java and class path, small heaps, quick start. */
final class Children {
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private Children() {
    }

    /** Runs {@code shardlb args…}; output appended to {@code out}; returns once the JVM is up. */
    static ChildJvm shardlb(List<String> args, Path out) {
        return shardlb(List.of(), args, out);
    }

    /** As {@link #shardlb(List, Path)}, the JVM started through {@code wrapper} (e.g. {@code ip netns exec NS}). */
    static ChildJvm shardlb(List<String> wrapper, List<String> args, Path out) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle") || a.startsWith("-Dlog4j")) {
                jvm.add(a);
            }
        }
        try {
            Files.createDirectories(out.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ChildJvm.start(wrapper, ChildMain.class.getName(), args, jvm, ChildMain.STARTED, out, START_TIMEOUT);
    }

    /** Sends SIGTERM (a graceful stop: agents drain). */
    static void terminate(ChildJvm child) {
        ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroy);
    }
}
