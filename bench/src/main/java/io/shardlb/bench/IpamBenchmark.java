package io.shardlb.bench;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.ipam.AllocationRequest;
import io.shardlb.ipam.IpFamily;
import io.shardlb.ipam.IpamDelta;
import io.shardlb.ipam.IpamImage;
import io.shardlb.ipam.IpamManager;
import io.shardlb.ipam.PoolConfig;
import io.shardlb.ipam.PortSet;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bench/run ipam}: allocation and release throughput on an IPv6 /64 pool, the way the planner runs IPAM
 * (the manager generates a record from the current image, the delta folds it, the next image is applied), and the
 * heap an address in use costs in a huge (/64) and a small pool.
 */
final class IpamBenchmark implements Benchmark {
    private static final int OPERATIONS = 1_000_000;
    private static final int IN_USE = 100_000;
    private static final double TARGET_ALLOCATIONS = 500_000;
    /** Measured rounds; each figure is the median over them (a shared machine has its hiccups). */
    private static final int ROUNDS = 3;

    @Override
    public String name() {
        return "ipam";
    }

    @Override
    public String description() {
        return "1,000,000 allocations + releases on an IPv6 /64 (manager + delta + image); heap per address in use"
                + " with 100,000 in use, /64 vs the smallest pool that holds them (/111)";
    }

    @Override
    public List<Result> run(Path work) {
        String load = loadAverage();
        String[] names = names(OPERATIONS);
        AllocationRequest req = AllocationRequest.of(PortSet.of(80, "TCP")).withFamilies(Set.of(IpFamily.V6));
        // warm-up, not measured: one whole round, so that every path is compiled and the heap sized, as in a
        // planner that has run a while
        throughput(names, OPERATIONS, req);
        double[] rates = Medians.perFigure(ROUNDS, () -> throughput(names, OPERATIONS, req));
        String[] memNames = names(IN_USE);
        double big = bytesPerAddress("v6=2001:db8:1::/64", memNames, req);
        double small = bytesPerAddress("v6=2001:db8:2::/111", memNames, req);
        double spread = Math.abs(big - small) / Math.min(big, small);
        return List.of(
                new Result("allocations_per_s", rates[0], "ops/s", (rates[0] >= TARGET_ALLOCATIONS ? "target met"
                        : "target MISSED") + " (>= 500,000/s); 1,000,000 on an IPv6 /64, unique mode, median of " + ROUNDS + " rounds after"
                        + " a warm-up round; load average " + load),
                new Result("releases_per_s", rates[1], "ops/s", "1,000,000 releases into a 30 s quarantine"),
                new Result("allocations_per_cpu_s", rates[2], "ops/cpu-s", "the same 1,000,000 allocations per"
                        + " second of CPU used by the whole JVM (GC and JIT included): less sensitive than wall time"
                        + " to other processes on a shared machine; load average " + load),
                new Result("releases_per_cpu_s", rates[3], "ops/cpu-s", "the same releases per second of CPU used"
                        + " by the whole JVM"),
                new Result("bytes_per_address", big, "B", "100,000 in use in an IPv6 /64; median of 3 heap"
                        + " deltas after GC; Service names excluded (shared with the planner)"),
                new Result("bytes_per_address_small_pool", small, "B", String.format(java.util.Locale.ROOT,
                        "100,000 in use in an IPv6 /111 (a /112 holds only 65,536); %.1f%% from the /64 figure, %s",
                        spread * 100, spread <= 0.20 ? "target met (<= 20%)" : "target MISSED (<= 20%)")));
    }

    /** The 1-minute load average: on a shared machine throughput depends on it. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String[] names(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "bench/svc-" + i;
        }
        return out;
    }

    private static IpamImage configured(String v6Pools) {
        PoolConfig pc = PoolConfig.parse("", v6Pools);
        IpamDelta d = new IpamDelta(IpamImage.EMPTY);
        d.replay(new Fact.ConfigObserved(List.of(), pc.toPools(IpFamily.V6), true, 1, "llb", false, "default",
                "default", "hash", 30_000, 5_000, false), 1_000);
        return d.apply();
    }

    /**
     * Allocates {@code n} addresses then releases them; returns {allocations/s, releases/s} in wall time and the
     * same per second of CPU the whole JVM used (GC and JIT threads included).
     */
    private static double[] throughput(String[] names, int n, AllocationRequest req) {
        IpamManager manager = new IpamManager();
        IpamDelta delta = new IpamDelta(configured("v6=2001:db8::/64"));
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fold(delta, manager.allocate(delta.apply(), names[i], req));
        }
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        for (int i = 0; i < n; i++) {
            fold(delta, manager.release(delta.apply(), names[i]));
        }
        long t2 = System.nanoTime();
        long c2 = processCpuNanos();
        if (delta.apply().inUseCount() != 0 || delta.apply().quarantinedCount() != n) {
            throw new AssertionError("benchmark did not allocate and release every address");
        }
        return new double[] {n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9), n / ((c1 - c0) / 1e9),
            n / ((c2 - c1) / 1e9)};
    }

    /** CPU time of the whole JVM so far (all threads), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void fold(IpamDelta delta, io.shardlb.ipam.Result<?> r) {
        for (Decision d : r.records()) {
            delta.replay(d);
        }
    }

    private static double bytesPerAddress(String pool, String[] names, AllocationRequest req) {
        double[] runs = new double[3];
        for (int run = 0; run < runs.length; run++) {
            IpamImage base = configured(pool);
            long before = usedAfterGc();
            IpamManager manager = new IpamManager();
            IpamDelta delta = new IpamDelta(base);
            for (String name : names) {
                fold(delta, manager.allocate(delta.apply(), name, req));
            }
            List<IpamImage> keep = new ArrayList<>(List.of(delta.apply()));
            delta = null;
            long after = usedAfterGc();
            if (keep.getFirst().inUseCount() != names.length) {
                throw new AssertionError("expected " + names.length + " addresses in use");
            }
            runs[run] = (after - before) / (double) names.length;
            keep.clear();
        }
        return Medians.of(runs);
    }

    private static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
