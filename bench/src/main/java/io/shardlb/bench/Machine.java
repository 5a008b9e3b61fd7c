package io.shardlb.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One-line description of the machine a figure was measured on: cores, kernel, JDK, and the JVM's heap and page
 * options (figures of memory-bound benchmarks depend on them).
 */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        } catch (Exception ignored) {
            // not Linux: leave the model out
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + (cpu.isEmpty() ? "" : " " + cpu) + ", "
                + kernel + ", JDK " + Runtime.version() + jvmOptions();
    }

    /** The heap, GC and page options the JVM was started with, e.g. " (-Xmx4g -XX:+UseTransparentHugePages)". */
    private static String jvmOptions() {
        String opts = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:"))
                .filter(a -> !a.startsWith("-XX:StartFlightRecording"))
                .collect(java.util.stream.Collectors.joining(" "));
        return opts.isEmpty() ? "" : " (" + opts + ")";
    }
}
