package io.shardlb.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the time of a phase goes, per process: CPU time of this JVM (the client) and of the broker's JVM
 * over the wall time, per 1,000 records. On a 2-core machine the two compete for the same cores.
 */
record CpuSplit(long brokerPid, long wall0, Duration client0, Duration broker0) {

    static CpuSplit start(long brokerPid) {
        return new CpuSplit(brokerPid, System.nanoTime(), cpu(ProcessHandle.current().pid()), cpu(brokerPid));
    }

    /** A one-line summary, given the phase's measured records/s. */
    String stop(double recordsPerSecond) {
        double wall = (System.nanoTime() - wall0) / 1e9;
        double client = cpu(ProcessHandle.current().pid()).minus(client0).toNanos() / 1e9;
        double broker = cpu(brokerPid).minus(broker0).toNanos() / 1e9;
        double perK = 1000 / recordsPerSecond / wall;
        return String.format(Locale.ROOT, "CPU per 1000 records: client %.1f ms, broker %.1f ms, wall %.1f ms",
                client * perK * 1000, broker * perK * 1000, 1000 / recordsPerSecond * 1000);
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
